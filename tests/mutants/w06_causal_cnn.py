"""Plausible wrong answers for week 06 (causal and dilated 1D convolutions)."""

from mutants import Alternative, AuditRow, Mutant

_CONV_HEADER = '''
def causal_conv1d(x, w, dilation=1):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    k, _, n_filters = w.shape
'''

_RECEPTIVE_FIELD = '''
def receptive_field(kernel_sizes, dilations):
    dilations = list(dilations)
    if np.ndim(kernel_sizes) == 0:
        kernel_sizes = [kernel_sizes] * len(dilations)
    return int(1 + sum((k - 1) * d for k, d in zip(kernel_sizes, dilations)))
'''

_MEASURE_START = '''
def measure_receptive_field(model, n_steps=64):
    channels = model.input_shape[-1]
    x = tf.Variable(np.random.default_rng(0).normal(size=(1, n_steps, channels)).astype("float32"))
    with tf.GradientTape() as tape:
'''


_CO2_FIT = (
    "wavenet.fit(x_co2_train, y_co2_train, epochs=CO2_EPOCHS, batch_size=CO2_BATCH, verbose=0)"
)


def _dilated(rates: str = "(1, 2, 4, 8)", padding: str = "causal", fit: str = "") -> str:
    fit = fit or ("dilated_model.fit(x_mem_train, y_mem_train, epochs=MEM_EPOCHS, "
                  "batch_size=MEM_BATCH, verbose=0)")
    return f'''
dilated_model = keras.Sequential(
    [keras.Input((None, 1))]
    + [
        keras.layers.Conv1D(16, 2, padding="{padding}", dilation_rate=rate, activation="relu")
        for rate in {rates}
    ]
    + [keras.layers.Conv1D(1, 1)]
)
dilated_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
{fit}
'''


def _wavenet(dilations: str, padding: str = "causal", fit: str = _CO2_FIT) -> str:
    return f'''
wavenet = keras.Sequential(
    [keras.Input((None, 1))]
    + [
        keras.layers.Conv1D(16, 2, padding="{padding}", dilation_rate=rate, activation="relu")
        for rate in {dilations}
    ]
    + [keras.layers.Conv1D(HORIZON, 1)]
)
wavenet.compile(optimizer=keras.optimizers.Adam(0.003), loss="mse")
{fit}
'''


MUTANTS = [
    Mutant(
        "flips the kernel (the first weight meets the newest input)",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    w = w[::-1]
    pad = (k - 1) * dilation
    padded = np.concatenate([np.zeros((pad, x.shape[1])), x])
    out = np.zeros((x.shape[0], n_filters))
    for t in range(x.shape[0]):
        out[t] = np.tensordot(padded[t : t + pad + 1 : dilation], w, axes=([0, 1], [0, 1]))
    return out
''',
        fails=("test_causal_conv1d",),
        full=True,
    ),
    Mutant(
        "pads on both sides like padding='same' (reads the future)",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    pad = (k - 1) * dilation
    before = pad // 2
    zeros = np.zeros((pad, x.shape[1]))
    padded = np.concatenate([zeros[:before], x, zeros[before:]])
    out = np.zeros((x.shape[0], n_filters))
    for t in range(x.shape[0]):
        out[t] = np.tensordot(padded[t : t + pad + 1 : dilation], w, axes=([0, 1], [0, 1]))
    return out
''',
        fails=("test_causal_conv1d",),
    ),
    Mutant(
        "ignores the dilation",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    padded = np.concatenate([np.zeros((k - 1, x.shape[1])), x])
    out = np.zeros((x.shape[0], n_filters))
    for t in range(x.shape[0]):
        out[t] = np.tensordot(padded[t : t + k], w, axes=([0, 1], [0, 1]))
    return out
''',
        fails=("test_causal_conv1d",),
    ),
    Mutant(
        "changes step t as well as the future",
        "future_leak",
        '''
def future_leak(model, x, t):
    x = np.asarray(x, dtype="float32")
    changed = x.copy()
    changed[:, t:, :] += np.random.default_rng(0).normal(size=changed[:, t:, :].shape) * 3.0
    before = np.asarray(model(x, training=False))
    after = np.asarray(model(changed, training=False))
    return float(np.max(np.abs(after[:, : t + 1] - before[:, : t + 1])))
''',
        fails=("test_future_leak",),
    ),
    Mutant(
        "compares the outputs at every step, not only up to t",
        "future_leak",
        '''
def future_leak(model, x, t):
    x = np.asarray(x, dtype="float32")
    changed = x.copy()
    changed[:, t + 1 :, :] += np.random.default_rng(0).normal(size=changed[:, t + 1 :, :].shape)
    before = np.asarray(model(x, training=False))
    after = np.asarray(model(changed, training=False))
    return float(np.max(np.abs(after - before)))
''',
        fails=("test_future_leak",),
    ),
    Mutant(
        "sums k * d instead of (k - 1) * d",
        "receptive_field",
        '''
def receptive_field(kernel_sizes, dilations):
    dilations = list(dilations)
    if np.ndim(kernel_sizes) == 0:
        kernel_sizes = [kernel_sizes] * len(dilations)
    return int(1 + sum(k * d for k, d in zip(kernel_sizes, dilations)))
'''
        + _MEASURE_START
        + '''
        last_output = tf.reduce_sum(model(x, training=False)[0, -1])
    gradient = np.abs(tape.gradient(last_output, x).numpy()[0]).sum(axis=-1)
    return n_steps - int(np.flatnonzero(gradient > 0)[0])
''',
        fails=("test_receptive_field",),
        full=True,
    ),
    Mutant(
        "differentiates the first output instead of the last",
        "receptive_field",
        _RECEPTIVE_FIELD
        + _MEASURE_START
        + '''
        first_output = tf.reduce_sum(model(x, training=False)[0, 0])
    gradient = np.abs(tape.gradient(first_output, x).numpy()[0]).sum(axis=-1)
    used = np.flatnonzero(gradient > 0)
    return int(used[-1] - used[0] + 1)
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "counts the inputs with a gradient instead of their span",
        "receptive_field",
        _RECEPTIVE_FIELD
        + _MEASURE_START
        + '''
        last_output = tf.reduce_sum(model(x, training=False)[0, -1])
    gradient = np.abs(tape.gradient(last_output, x).numpy()[0]).sum(axis=-1)
    return int(np.count_nonzero(gradient))
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "no dilation (a copy of the plain stack)",
        "dilated_model",
        '''
dilated_model = keras.Sequential(
    [keras.Input((None, 1))]
    + [keras.layers.Conv1D(16, 2, padding="causal", activation="relu") for _ in range(4)]
    + [keras.layers.Conv1D(1, 1)]
)
dilated_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
dilated_model.fit(x_mem_train, y_mem_train, epochs=MEM_EPOCHS, batch_size=MEM_BATCH, verbose=0)
''',
        fails=("test_dilated_model",),
    ),
    Mutant(
        "trains on the inputs as targets (forgets the shift)",
        "dilated_model",
        '''
dilated_model = keras.Sequential(
    [keras.Input((None, 1))]
    + [
        keras.layers.Conv1D(16, 2, padding="causal", dilation_rate=rate, activation="relu")
        for rate in (1, 2, 4, 8)
    ]
    + [keras.layers.Conv1D(1, 1)]
)
dilated_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
dilated_model.fit(x_mem_train, x_mem_train, epochs=MEM_EPOCHS, batch_size=MEM_BATCH, verbose=0)
''',
        fails=("test_dilated_model",),
    ),
    Mutant(
        "padding='same' (the forecaster reads the future)",
        "wavenet",
        _wavenet("(1, 2, 4, 8, 16, 32)", padding="same"),
        fails=("test_wavenet",),
        full=True,
    ),
    Mutant(
        "no dilation: a receptive field of 7 weeks",
        "wavenet",
        _wavenet("(1, 1, 1, 1, 1, 1)"),
        fails=("test_wavenet",),
    ),
]

_FUTURE_LEAK = '''
def future_leak(model, x, t):
    x = np.asarray(x, dtype="float32")
    changed = x.copy()
    future = changed[:, t + 1 :, :]
    changed[:, t + 1 :, :] = future + np.random.default_rng(0).normal(size=future.shape) * 3.0
    before = np.asarray(model(x, training=False))
    after = np.asarray(model(changed, training=False))
'''

MUTANTS += [
    Mutant(
        "pads with the first value instead of zeros",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    pad = (k - 1) * dilation
    padded = np.concatenate([np.repeat(x[:1], pad, axis=0), x])
    out = np.zeros((x.shape[0], n_filters))
    for t in range(x.shape[0]):
        out[t] = np.tensordot(padded[t : t + pad + 1 : dilation], w, axes=([0, 1], [0, 1]))
    return out
''',
        fails=("test_causal_conv1d",),
    ),
    Mutant(
        "reads only the first input channel",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    pad = (k - 1) * dilation
    padded = np.concatenate([np.zeros((pad, x.shape[1])), x])
    out = np.zeros((x.shape[0], n_filters))
    for t in range(x.shape[0]):
        out[t] = padded[t : t + pad + 1 : dilation, 0] @ w[:, 0, :]
    return out
''',
        fails=("test_causal_conv1d",),
    ),
    Mutant(
        "reads the kernel as (k, filters, channels)",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    pad = (k - 1) * dilation
    padded = np.concatenate([np.zeros((pad, x.shape[1])), x])
    out = np.zeros((x.shape[0], w.shape[1]))
    for t in range(x.shape[0]):
        out[t] = np.tensordot(padded[t : t + pad + 1 : dilation], w, axes=([0, 1], [0, 2]))
    return out
''',
        fails=("test_causal_conv1d",),
    ),
    Mutant(
        "assumes two taps (kernel size 2)",
        "causal_conv1d",
        _CONV_HEADER
        + '''
    padded = np.concatenate([np.zeros((dilation, x.shape[1])), x])
    out = np.zeros((x.shape[0], n_filters))
    for t in range(x.shape[0]):
        out[t] = padded[t] @ w[0] + padded[t + dilation] @ w[-1]
    return out
''',
        fails=("test_causal_conv1d",),
    ),
    Mutant(
        "compares only the first sequence",
        "future_leak",
        _FUTURE_LEAK + '''
    return float(np.max(np.abs(after[0, : t + 1] - before[0, : t + 1])))
''',
        fails=("test_future_leak",),
    ),
    Mutant(
        "compares only the first output channel",
        "future_leak",
        _FUTURE_LEAK + '''
    return float(np.max(np.abs(after[:, : t + 1, 0] - before[:, : t + 1, 0])))
''',
        fails=("test_future_leak",),
    ),
    Mutant(
        "adds the noise to x itself (changes the caller's array)",
        "future_leak",
        '''
def future_leak(model, x, t):
    x = np.asarray(x, dtype="float32")
    before = np.asarray(model(x, training=False))
    noise = np.random.default_rng(0).normal(size=x[:, t + 1 :, :].shape)
    x[:, t + 1 :, :] += noise.astype("float32")
    after = np.asarray(model(x, training=False))
    return float(np.max(np.abs(after[:, : t + 1] - before[:, : t + 1])))
''',
        fails=("test_future_leak",),
    ),
    Mutant(
        "returns a NumPy float32, not a Python float",
        "future_leak",
        _FUTURE_LEAK + '''
    return np.max(np.abs(after[:, : t + 1] - before[:, : t + 1]))
''',
        fails=("test_future_leak",),
    ),
    Mutant(
        "uses the first kernel size for every layer",
        "receptive_field",
        '''
def receptive_field(kernel_sizes, dilations):
    k = kernel_sizes if np.ndim(kernel_sizes) == 0 else kernel_sizes[0]
    return int(1 + sum((k - 1) * d for d in dilations))
'''
        + _MEASURE_START
        + '''
        last_output = tf.reduce_sum(model(x, training=False)[0, -1])
    gradient = np.abs(tape.gradient(last_output, x).numpy()[0]).sum(axis=-1)
    return n_steps - int(np.flatnonzero(gradient > 0)[0])
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "ignores the dilations",
        "receptive_field",
        '''
def receptive_field(kernel_sizes, dilations):
    dilations = list(dilations)
    if np.ndim(kernel_sizes) == 0:
        kernel_sizes = [kernel_sizes] * len(dilations)
    return int(1 + sum(k - 1 for k in kernel_sizes))
'''
        + _MEASURE_START
        + '''
        last_output = tf.reduce_sum(model(x, training=False)[0, -1])
    gradient = np.abs(tape.gradient(last_output, x).numpy()[0]).sum(axis=-1)
    return n_steps - int(np.flatnonzero(gradient > 0)[0])
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "ignores n_steps (always 64 steps)",
        "receptive_field",
        _RECEPTIVE_FIELD
        + _MEASURE_START.replace("size=(1, n_steps, channels)", "size=(1, 64, channels)")
        + '''
        last_output = tf.reduce_sum(model(x, training=False)[0, -1])
    gradient = np.abs(tape.gradient(last_output, x).numpy()[0]).sum(axis=-1)
    return 64 - int(np.flatnonzero(gradient > 0)[0])
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "looks at the gradient of the first input channel only",
        "receptive_field",
        _RECEPTIVE_FIELD
        + _MEASURE_START
        + '''
        last_output = tf.reduce_sum(model(x, training=False)[0, -1])
    gradient = np.abs(tape.gradient(last_output, x).numpy()[0, :, 0])
    return n_steps - int(np.flatnonzero(gradient > 0)[0])
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "padding='same' (the forecaster reads the next value)",
        "dilated_model",
        _dilated(padding="same"),
        fails=("test_dilated_model",),
    ),
    Mutant(
        "dilation rates 1, 2, 4, 4 (receptive field 12)",
        "dilated_model",
        _dilated(rates="(1, 2, 4, 4)"),
        fails=("test_dilated_model",),
    ),
    Mutant(
        "trains for 8 epochs instead of MEM_EPOCHS",
        "dilated_model",
        _dilated(fit="dilated_model.fit(x_mem_train, y_mem_train, epochs=8, batch_size=MEM_BATCH, "
                 "verbose=0)"),
        fails=("test_dilated_model",),
    ),
    Mutant(
        "batches of 8 instead of MEM_BATCH",
        "dilated_model",
        _dilated(fit="dilated_model.fit(x_mem_train, y_mem_train, epochs=MEM_EPOCHS, batch_size=8, "
                 "verbose=0)"),
        fails=("test_dilated_model",),
    ),
    Mutant(
        "trains on the validation series as well",
        "dilated_model",
        _dilated(fit="dilated_model.fit(np.concatenate([x_mem_train, x_mem_val]), "
                 "np.concatenate([y_mem_train, y_mem_val]), epochs=MEM_EPOCHS, "
                 "batch_size=MEM_BATCH, verbose=0)"),
        fails=("test_dilated_model",),
    ),
    Mutant(
        "dilation rates up to 16 (receptive field 32)",
        "wavenet",
        _wavenet("(1, 2, 4, 8, 16)"),
        fails=("test_wavenet",),
    ),
    Mutant(
        "trains for 12 epochs instead of CO2_EPOCHS",
        "wavenet",
        _wavenet("(1, 2, 4, 8, 16, 32)", fit=_CO2_FIT.replace("epochs=CO2_EPOCHS", "epochs=12")),
        fails=("test_wavenet",),
    ),
    Mutant(
        "batches of 16 instead of CO2_BATCH",
        "wavenet",
        _wavenet("(1, 2, 4, 8, 16, 32)", fit=_CO2_FIT.replace("batch_size=CO2_BATCH",
                                                              "batch_size=16")),
        fails=("test_wavenet",),
    ),
    Mutant(
        "trains on windows of the whole series (held-out weeks included)",
        "wavenet",
        _wavenet(
            "(1, 2, 4, 8, 16, 32)",
            fit="""all_x = sequences.sliding_windows(co2_inputs[:-HORIZON], CO2_SEQ, step=4)
all_y = sequences.sliding_windows(co2_targets[:-HORIZON], CO2_SEQ, step=4)
wavenet.fit(all_x, all_y, epochs=CO2_EPOCHS, batch_size=CO2_BATCH, verbose=0)""",
        ),
        fails=("test_wavenet",),
    ),
]

ALTERNATIVES = [
    Alternative(
        "one matrix product per tap on a delayed copy of x",
        "causal_conv1d",
        '''
def causal_conv1d(x, w, dilation=1):
    """Causal 1D convolution of x (T, C) with kernels w (k, C, F), dilation rate `dilation`."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    steps, k = x.shape[0], w.shape[0]
    out = np.zeros((steps, w.shape[2]))
    for j in range(k):
        delay = (k - 1 - j) * dilation
        if delay < steps:
            delayed = np.vstack([np.zeros((delay, x.shape[1])), x[: steps - delay]])
            out += delayed @ w[j]
    return out
''',
        group=1,
    ),
    Alternative(
        "np.pad, fancy indexing and einsum",
        "causal_conv1d",
        '''
def causal_conv1d(x, w, dilation=1):
    x = np.asarray(x, dtype=np.float64)
    k = len(w)
    padded = np.pad(x, (((k - 1) * dilation, 0), (0, 0)))
    index = np.arange(x.shape[0])[:, None] + dilation * np.arange(k)[None, :]
    return np.einsum("tjc,jcf->tf", padded[index], np.asarray(w, dtype=np.float64))
''',
        group=2,
    ),
    Alternative(
        "future shifted by uniform noise, a copy by concatenation",
        "future_leak",
        '''
def future_leak(model, x, t):
    x = np.array(x, dtype=np.float32)
    future = x[:, t + 1 :]
    shifted = future + np.random.default_rng(t).uniform(-2, 2, future.shape)
    noisy = np.concatenate([x[:, : t + 1], shifted], axis=1)
    difference = np.asarray(model(noisy.astype(np.float32))) - np.asarray(model(x))
    return float(np.abs(difference[:, : t + 1]).max())
''',
        group=1,
    ),
    Alternative(
        "TensorFlow ops throughout",
        "future_leak",
        '''
def future_leak(model, x, t):
    x = tf.constant(x, dtype=tf.float32)
    past, future = x[:, : t + 1], x[:, t + 1 :]
    changed = tf.concat([past, future + tf.random.normal(tf.shape(future), seed=1)], axis=1)
    gap = tf.abs(model(changed, training=False) - model(x, training=False))[:, : t + 1]
    return float(tf.reduce_max(gap))
''',
        group=2,
    ),
    Alternative(
        "broadcast and dot product; tape.watch on a tensor",
        "receptive_field",
        '''
def receptive_field(kernel_sizes, dilations):
    d = np.asarray(dilations)
    k = np.broadcast_to(np.asarray(kernel_sizes), d.shape)
    return int(1 + np.dot(k - 1, d))


def measure_receptive_field(model, n_steps=64):
    x = tf.random.normal((1, n_steps, model.input_shape[-1]), seed=3)
    with tf.GradientTape() as tape:
        tape.watch(x)
        target = tf.reduce_sum(model(x)[:, -1, :])
    g = tf.reduce_sum(tf.abs(tape.gradient(target, x)), axis=[0, 2]).numpy()
    return int(n_steps - np.nonzero(g)[0].min())
''',
        group=1,
    ),
    Alternative(
        "plain loops",
        "receptive_field",
        '''
def receptive_field(kernel_sizes, dilations):
    total = 1
    for i, d in enumerate(dilations):
        k = kernel_sizes if isinstance(kernel_sizes, (int, np.integer)) else kernel_sizes[i]
        total += (k - 1) * d
    return total


def measure_receptive_field(model, n_steps=64):
    _, _, channels = model.input_shape
    values = np.random.default_rng(1).uniform(-1, 1, (1, n_steps, channels))
    x = tf.convert_to_tensor(values, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x, training=False)
        last = tf.reduce_sum(out[0, n_steps - 1])
    grad = tape.gradient(last, x).numpy()[0]
    depends = [s for s in range(n_steps) if np.any(grad[s] != 0)]
    return n_steps - depends[0]
''',
        group=2,
    ),
    Alternative(
        "ZeroPadding1D + 'valid' convolutions, ReLU layers, a Dense(1) head",
        "dilated_model",
        '''
stack = [keras.Input((None, 1))]
for rate in (1, 2, 4, 8):
    stack += [
        keras.layers.ZeroPadding1D((rate, 0)),
        keras.layers.Conv1D(16, 2, dilation_rate=rate),
        keras.layers.ReLU(),
    ]
dilated_model = keras.Sequential(stack + [keras.layers.Dense(1)])
dilated_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error")
dilated_model.fit(x_mem_train, y_mem_train, epochs=MEM_EPOCHS, batch_size=MEM_BATCH, verbose=0)
''',
        group=1,
    ),
    Alternative(
        "functional API with Activation layers",
        "dilated_model",
        '''
inputs = keras.Input(shape=(None, 1), name="series")
h = inputs
for rate in [1, 2, 4, 8]:
    conv = keras.layers.Conv1D(16, 2, dilation_rate=rate, padding="causal", name=f"conv_d{rate}")
    h = conv(h)
    h = keras.layers.Activation("relu")(h)
outputs = keras.layers.Conv1D(1, 1, name="forecast")(h)
dilated_model = keras.Model(inputs, outputs, name="dilated")
loss = keras.losses.MeanSquaredError()
dilated_model.compile(keras.optimizers.Adam(learning_rate=0.01), loss=loss)
dilated_model.fit(x=x_mem_train, y=y_mem_train, batch_size=MEM_BATCH, epochs=MEM_EPOCHS, verbose=0)
''',
        group=2,
    ),
    Alternative(
        "a subclassed keras.Model",
        "wavenet",
        '''
class WaveNet(keras.Model):
    def __init__(self, rates=(1, 2, 4, 8, 16, 32), filters=16):
        super().__init__()
        self.stack = [
            keras.layers.Conv1D(filters, 2, padding="causal", dilation_rate=r, activation="relu")
            for r in rates
        ]
        self.head = keras.layers.Conv1D(HORIZON, 1)

    def call(self, x):
        for layer in self.stack:
            x = layer(x)
        return self.head(x)


wavenet = WaveNet()
wavenet.compile(optimizer=keras.optimizers.Adam(0.003), loss="mse")
wavenet.fit(x_co2_train, y_co2_train, epochs=CO2_EPOCHS, batch_size=CO2_BATCH, verbose=0)
''',
        group=1,
    ),
    Alternative(
        "functional API, left zero padding, 24 filters, a Dense head",
        "wavenet",
        '''
series = keras.Input((None, 1))
h = series
for rate in (1, 2, 4, 8, 16, 32):
    h = keras.layers.ZeroPadding1D(padding=(rate, 0))(h)
    h = keras.layers.Conv1D(24, 2, dilation_rate=rate, activation="relu")(h)
wavenet = keras.Model(series, keras.layers.Dense(HORIZON)(h))
wavenet.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="mse")
wavenet.fit(x_co2_train, y_co2_train, epochs=CO2_EPOCHS, batch_size=CO2_BATCH, verbose=0)
''',
        group=2,
    ),
]

_C, _F, _R, _D, _W = "causal_conv1d", "future_leak", "receptive_field", "dilated_model", "wavenet"
AUDIT = [
    AuditRow(_C, "kernel orientation (last weight meets x[t]; random kernels vs Keras)",
             "test_causal_conv1d", "flips the kernel (the first weight meets the newest input)"),
    AuditRow(_C, "padding side (left only)", "test_causal_conv1d",
             "pads on both sides like padding='same' (reads the future)"),
    AuditRow(_C, "fill value of the padding (zeros)", "test_causal_conv1d",
             "pads with the first value instead of zeros"),
    AuditRow(_C, "dilation (tried at 1, 2, 3, 4)", "test_causal_conv1d", "ignores the dilation"),
    AuditRow(_C, "kernel width k (tried at 2, 3, 5; longer than T at T=5, k=3, d=4)",
             "test_causal_conv1d", "assumes two taps (kernel size 2)"),
    AuditRow(_C, "input channels C (tried at 1 to 4)", "test_causal_conv1d",
             "reads only the first input channel"),
    AuditRow(_C, "filters F and the kernel layout (k, C, F) (F = 1 to 4, F != C)",
             "test_causal_conv1d", "reads the kernel as (k, filters, channels)"),
    AuditRow(_F, "t: only steps after t change (t = 0, 5, 9, 10, T-1)", "test_future_leak",
             "changes step t as well as the future"),
    AuditRow(_F, "outputs compared at steps 0..t only", "test_future_leak",
             "compares the outputs at every step, not only up to t"),
    AuditRow(_F, "all sequences of the batch", "test_future_leak",
             "compares only the first sequence"),
    AuditRow(_F, "all output channels", "test_future_leak",
             "compares only the first output channel"),
    AuditRow(_F, "x: a copy is changed, the caller's array is left alone", "test_future_leak",
             "adds the noise to x itself (changes the caller's array)"),
    AuditRow(_F, "return type (a Python float)", "test_future_leak",
             "returns a NumPy float32, not a Python float"),
    AuditRow(_R, "formula (k - 1) * d", "test_receptive_field",
             "sums k * d instead of (k - 1) * d"),
    AuditRow(_R, "kernel_sizes as one size per layer (lists of 2 to 5 layers)",
             "test_receptive_field", "uses the first kernel size for every layer"),
    AuditRow(_R, "dilations (list or tuple)", "test_receptive_field", "ignores the dilations"),
    AuditRow(_R, "measure: the LAST output step", "test_receptive_field",
             "differentiates the first output instead of the last"),
    AuditRow(_R, "measure: the span, not the count, of the inputs used", "test_receptive_field",
             "counts the inputs with a gradient instead of their span"),
    AuditRow(_R, "measure: n_steps (tried at 64, 100, 160 with a field of 128)",
             "test_receptive_field", "ignores n_steps (always 64 steps)"),
    AuditRow(_R, "measure: input channels, a gradient in any channel counts",
             "test_receptive_field", "looks at the gradient of the first input channel only"),
    AuditRow(_D, "dilation rates 1, 2, 4, 8 (receptive field 16, measured with gradients)",
             "test_dilated_model", "dilation rates 1, 2, 4, 4 (receptive field 12)"),
    AuditRow(_D, "no dilation at all (the MSE ratio)", "test_dilated_model",
             "no dilation (a copy of the plain stack)"),
    AuditRow(_D, "causal padding (perturbation test, any construction)", "test_dilated_model",
             "padding='same' (the forecaster reads the next value)"),
    AuditRow(_D, "targets: the next value (y_mem_train)", "test_dilated_model",
             "trains on the inputs as targets (forgets the shift)"),
    AuditRow(_D, "MEM_EPOCHS = 5 (provenance record)", "test_dilated_model",
             "trains for 8 epochs instead of MEM_EPOCHS"),
    AuditRow(_D, "MEM_BATCH = 32 (optimizer steps)", "test_dilated_model",
             "batches of 8 instead of MEM_BATCH"),
    AuditRow(_D, "training data: the 400 training series, not the validation series",
             "test_dilated_model", "trains on the validation series as well"),
    AuditRow(_W, "causal padding (perturbation test, any construction)", "test_wavenet",
             "padding='same' (the forecaster reads the future)"),
    AuditRow(_W, "dilation rates 1..32 (receptive field 64, measured with gradients)",
             "test_wavenet", "dilation rates up to 16 (receptive field 32)"),
    AuditRow(_W, "dilation (held-out MSE vs seasonal naive)", "test_wavenet",
             "no dilation: a receptive field of 7 weeks"),
    AuditRow(_W, "CO2_EPOCHS = 10 (now in the locked data cell; provenance record)",
             "test_wavenet", "trains for 12 epochs instead of CO2_EPOCHS"),
    AuditRow(_W, "CO2_BATCH = 32 (optimizer steps)", "test_wavenet",
             "batches of 16 instead of CO2_BATCH"),
    AuditRow(_W, "train/test split: training windows only, no window reaching held-out targets",
             "test_wavenet", "trains on windows of the whole series (held-out weeks included)"),
]
