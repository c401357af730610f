"""Plausible wrong answers for week 06 (causal and dilated 1D convolutions)."""

from mutants import Mutant

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


def _wavenet(dilations: str, padding: str = "causal") -> str:
    return f'''
CO2_EPOCHS, CO2_BATCH = 10, 32
wavenet = keras.Sequential(
    [keras.Input((None, 1))]
    + [
        keras.layers.Conv1D(16, 2, padding="{padding}", dilation_rate=rate, activation="relu")
        for rate in {dilations}
    ]
    + [keras.layers.Conv1D(HORIZON, 1)]
)
wavenet.compile(optimizer=keras.optimizers.Adam(0.003), loss="mse")
wavenet.fit(x_co2_train, y_co2_train, epochs=CO2_EPOCHS, batch_size=CO2_BATCH, verbose=0)
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
