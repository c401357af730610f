"""Plausible wrong answers for week 07 (recurrent networks)."""

from mutants import Mutant


def _rnn_forward(step: str, result: str = "np.stack(states, axis=1) if return_sequences else h",
                 initial: str = "np.zeros((batch, np.shape(W_hh)[0])) if h0 is None else "
                 "np.asarray(h0, dtype=float)") -> str:
    return f'''
def rnn_forward(x, W_xh, W_hh, b, h0=None, return_sequences=False):
    x = np.asarray(x, dtype=float)
    batch, steps, _ = x.shape
    h = {initial}
    states = []
    for t in range(steps):
        h = {step}
        states.append(h)
    return {result}
'''


_CORRECT_STEP = "np.tanh(x[:, t] @ W_xh + h @ W_hh + b)"


def _params(simple: str, lstm: str, gru: str) -> str:
    return f'''
def simple_rnn_params(units, input_dim):
    return {simple}


def lstm_params(units, input_dim):
    return {lstm}


def gru_params(units, input_dim):
    return {gru}
'''


def _lstm_step(body: str) -> str:
    return '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = np.asarray(x_t) @ kernel + np.asarray(h_prev) @ recurrent_kernel + bias
''' + body


def _co2(model: str) -> str:
    return f'''
RNN_EPOCHS, RNN_BATCH = 4, 32
co2_rnn = keras.Sequential({model})
co2_rnn.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
co2_rnn.fit(x_co2_train, y_co2_train, epochs=RNN_EPOCHS, batch_size=RNN_BATCH, verbose=0)
'''


def _sample(draw: str, rng: str = "np.random.default_rng(seed)",
            result: str = '"".join(generated)') -> str:
    return f'''
def sample(model, seed_text, n, temperature=1.0, seed=0):
    rng = {rng}
    ids = [char_to_id[c] for c in seed_text.lower() if c in char_to_id]
    generated = []
    for _ in range(n):
        context = np.array([ids[-SEQ_LEN:]], dtype="int32")
        probs = np.asarray(model.predict_on_batch(context))[0, -1].astype("float64")
        {draw}
        ids.append(next_id)
        generated.append(id_to_char[next_id])
    return {result}
'''


_TEMPERATURE_DRAW = """logits = np.log(np.maximum(probs, 1e-30)) / temperature
        weights = np.exp(logits - logits.max())
        next_id = int(rng.choice(len(weights), p=weights / weights.sum()))"""

MUTANTS = [
    Mutant(
        "multiplies by the transposed recurrent matrix",
        "rnn_forward",
        _rnn_forward("np.tanh(x[:, t] @ W_xh + h @ W_hh.T + b)"),
        fails=("test_rnn_forward",),
        full=True,
    ),
    Mutant(
        "forgets the recurrent term",
        "rnn_forward",
        _rnn_forward("np.tanh(x[:, t] @ W_xh + b)"),
        fails=("test_rnn_forward",),
    ),
    Mutant(
        "ignores the initial state",
        "rnn_forward",
        _rnn_forward(_CORRECT_STEP, initial="np.zeros((batch, np.shape(W_hh)[0]))"),
        fails=("test_rnn_forward",),
    ),
    Mutant(
        "returns the first state instead of the last",
        "rnn_forward",
        _rnn_forward(_CORRECT_STEP, result="np.stack(states, axis=1) if return_sequences "
                     "else states[0]"),
        fails=("test_rnn_forward",),
    ),
    Mutant(
        "GRU with one bias per block (reset_after=False)",
        "rnn_params",
        _params("units * (units + input_dim + 1)", "4 * units * (units + input_dim + 1)",
                "3 * units * (units + input_dim + 1)"),
        fails=("test_rnn_params",),
        full=True,
    ),
    Mutant(
        "LSTM without biases",
        "rnn_params",
        _params("units * (units + input_dim + 1)", "4 * units * (units + input_dim)",
                "3 * units * (units + input_dim + 2)"),
        fails=("test_rnn_params",),
    ),
    Mutant(
        "gate order input, forget, output, cell",
        "lstm_step",
        _lstm_step('''    z_i, z_f, z_o, z_c = np.split(z, 4, axis=-1)
    c_t = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * np.tanh(c_t), c_t
'''),
        fails=("test_lstm_step",),
    ),
    Mutant(
        "h_t = o * c_t (forgets the tanh)",
        "lstm_step",
        _lstm_step('''    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c_t = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * c_t, c_t
'''),
        fails=("test_lstm_step",),
    ),
    Mutant(
        "no recurrent layer (a Dense network on the window)",
        "co2_rnn",
        _co2("[keras.Input((WINDOW, 1)), keras.layers.Flatten(), keras.layers.Dense(32, "
             'activation="relu"), keras.layers.Dense(1)]'),
        fails=("test_co2_rnn",),
    ),
    Mutant(
        "return_sequences=True before the Dense head",
        "co2_rnn",
        _co2("[keras.Input((WINDOW, 1)), keras.layers.LSTM(32, return_sequences=True), "
             "keras.layers.Dense(1)]"),
        fails=("test_co2_rnn",),
    ),
    Mutant(
        "no recurrence: predicts from the current character only",
        "char_model",
        '''
TEXT_EPOCHS, TEXT_BATCH = 2, 32
LOSS_THRESHOLD = 2.2
char_model = keras.Sequential(
    [
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(len(vocab), 16),
        keras.layers.Dense(96, activation="relu"),
        keras.layers.Dense(len(vocab), activation="softmax"),
    ]
)
char_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
char_model.fit(x_text_train, y_text_train, epochs=TEXT_EPOCHS, batch_size=TEXT_BATCH, verbose=0)
''',
        fails=("test_char_model",),
    ),
    Mutant(
        "trains on unshifted targets (predicts the current character)",
        "char_model",
        '''
TEXT_EPOCHS, TEXT_BATCH = 2, 32
LOSS_THRESHOLD = 2.2
char_model = keras.Sequential(
    [
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(len(vocab), 16),
        keras.layers.GRU(96, return_sequences=True),
        keras.layers.Dense(len(vocab), activation="softmax"),
    ]
)
char_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
char_model.fit(x_text_train, x_text_train, epochs=TEXT_EPOCHS, batch_size=TEXT_BATCH, verbose=0)
''',
        fails=("test_char_model",),
    ),
    Mutant(
        "always picks the most likely character",
        "sample",
        _sample("next_id = int(np.argmax(probs))"),
        fails=("test_sample",),
        full=True,
    ),
    Mutant(
        "ignores the temperature",
        "sample",
        _sample("next_id = int(rng.choice(len(probs), p=probs / probs.sum()))"),
        fails=("test_sample",),
    ),
    Mutant(
        "returns the seed text as well",
        "sample",
        _sample(_TEMPERATURE_DRAW, result='seed_text + "".join(generated)'),
        fails=("test_sample",),
    ),
    Mutant(
        "draws from NumPy's global random state (not reproducible)",
        "sample",
        _sample(_TEMPERATURE_DRAW.replace("rng.choice", "np.random.choice"), rng="None"),
        fails=("test_sample",),
    ),
]
