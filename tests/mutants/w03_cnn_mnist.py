"""Plausible wrong answers, alternative correct answers and the parameter audit for week 03
(CNNs on MNIST).

Mutants of cells that train (cnn2, my_cnn) train for one or two epochs, or on a few hundred
images: each fails its test cell at the check it is about (the structure, the budget, the data)
before any accuracy check, so it stays cheap and still proves that check.
"""

from mutants import Alternative, AuditRow, Mutant

# -- Exercise 1: cnn1 --------------------------------------------------------------------------

_CNN1 = '''
cnn1 = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        {conv},
        {relu}
        keras.layers.Flatten(),
        keras.layers.Dense(10),
        {softmax}
    ]
)
conv_params = {conv_params}
dense_params = {dense_params}
cnn1.summary()
'''


def _cnn1(
    conv='keras.layers.Conv2D(32, 3, padding="same")',
    relu='keras.layers.Activation("relu"),',
    softmax='keras.layers.Activation("softmax"),',
    conv_params="3 * 3 * 1 * 32 + 32",
    dense_params="28 * 28 * 32 * 10 + 10",
) -> str:
    return _CNN1.format(
        conv=conv, relu=relu, softmax=softmax, conv_params=conv_params, dense_params=dense_params
    )


# -- Exercise 2: make_standardiser -------------------------------------------------------------

_STANDARDISER = '''
def make_standardiser(x_train):
    """A function that standardises images with statistics of x_train only, bounded on new data."""
{body}


standardise = make_standardiser(X_TRAIN_RAW)
print("validation values from", standardise(X_VAL_RAW).min(), "to", standardise(X_VAL_RAW).max())
'''


def _standardiser(body: str, print_line: bool = True) -> str:
    source = _STANDARDISER.format(body=body.strip("\n"))
    return source if print_line else source.replace(source.splitlines()[-1], "")


# -- Exercise 3: cnn2 --------------------------------------------------------------------------

_CNN2 = '''
EPOCHS_CNN2 = {epochs}


def build_cnn2():
    """The lecture's cnn2: two convolution blocks with batch normalisation, then a small head."""
    first = [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(8, 3, padding="same"),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.Activation("relu"),
        keras.layers.Conv2D(8, 3, padding="same"),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.Activation("relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(16, 3, padding="same"),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.Activation("relu"),
    ]
    block = [{block}]
    head = [
        keras.layers.Flatten(),
        keras.layers.Dense(40),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.Dropout(0.3),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
    return keras.Sequential(first + block + head)


cnn2 = build_cnn2()
cnn2.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cnn2_history = cnn2.fit(
    X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=EPOCHS_CNN2, batch_size=64, verbose=0
)
print(f"cnn2: {{cnn2.count_params():,}} parameters, validation accuracy after "
      f"{{EPOCHS_CNN2}} epochs: {{cnn2_history.history['val_accuracy'][-1]:.1%}}")
'''


def _cnn2(block: str, epochs: int = 1) -> str:
    return _CNN2.format(epochs=epochs, block=block)


_CONV16 = 'keras.layers.Conv2D(16, 3, padding="same"), '
_BN = "keras.layers.BatchNormalization(momentum=0.9), "
_RELU = 'keras.layers.Activation("relu"), '
_POOL = "keras.layers.MaxPooling2D()"

# -- Exercise 4: augment -----------------------------------------------------------------------

_AUGMENT = '''
augment = keras.Sequential(
    [{layers}]
)
digit = X_TRAIN[:1]
versions = [augment(digit, training=True)[0] for _ in range(7)]
labels = ["original"] + [f"augmented {{i + 1}}" for i in range(7)]
plots.image_grid([digit[0]] + versions, labels=labels);
'''


def _augment(
    rotation='keras.layers.RandomRotation(0.05, fill_mode="constant")',
    translation='keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant")',
    zoom='keras.layers.RandomZoom(0.1, fill_mode="constant")',
    extra="",
) -> str:
    return _AUGMENT.format(layers=", ".join(x for x in (extra, rotation, translation, zoom) if x))


# -- Exercise 5: my_cnn ------------------------------------------------------------------------

_MY_CNN = '''
{before}my_cnn = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        {layers}
    ]
)
my_cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
{fit}
print(f"my_cnn: {{my_cnn.count_params():,}} parameters")
plots.training_curves(my_history, title="my_cnn");
'''
_SMALL_CNN = (
    'keras.layers.Conv2D(16, 3, padding="same", activation="relu"), keras.layers.MaxPooling2D(), '
    'keras.layers.Conv2D(32, 3, padding="same", activation="relu"), keras.layers.MaxPooling2D(), '
    'keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")'
)
_FIT = (
    "my_history = my_cnn.fit({x}, {y}, validation_data=(X_VAL, y_val), epochs={epochs}, "
    "batch_size=64, verbose=0)"
)


def _my_cnn(layers: str = _SMALL_CNN, fit: str | None = None, before: str = "",
            x: str = "X_TRAIN", y: str = "y_train", epochs: int = 1) -> str:
    fit = fit or _FIT.format(x=x, y=y, epochs=epochs)
    return _MY_CNN.format(before=before, layers=layers, fit=fit)


MUTANTS = [
    # cnn1
    Mutant("16 filters", "cnn1",
           _cnn1(conv='keras.layers.Conv2D(16, 3, padding="same")',
                 conv_params="3 * 3 * 1 * 16 + 16", dense_params="28 * 28 * 16 * 10 + 10"),
           fails=("test_cnn1",)),
    Mutant("5x5 kernel", "cnn1",
           _cnn1(conv='keras.layers.Conv2D(32, 5, padding="same")',
                 conv_params="5 * 5 * 1 * 32 + 32"),
           fails=("test_cnn1",)),
    Mutant("valid padding and no bias in the counts", "cnn1",
           _cnn1(conv="keras.layers.Conv2D(32, 3)", conv_params=288,
                 dense_params=26 * 26 * 32 * 10),
           fails=("test_cnn1",)),
    Mutant("dilated convolution (same shapes and counts)", "cnn1",
           _cnn1(conv='keras.layers.Conv2D(32, 3, padding="same", dilation_rate=2)'),
           fails=("test_cnn1",)),
    Mutant("forgets the ReLU", "cnn1", _cnn1(relu=""), fails=("test_cnn1",)),
    Mutant("no softmax (the Dense layer's scores)", "cnn1", _cnn1(softmax=""),
           fails=("test_cnn1",)),
    Mutant("conv_params without the biases", "cnn1", _cnn1(conv_params="3 * 3 * 1 * 32"),
           fails=("test_cnn1",)),
    Mutant("dense_params without the channels", "cnn1", _cnn1(dense_params="28 * 28 * 10 + 10"),
           fails=("test_cnn1",)),
    # make_standardiser
    Mutant(
        "the lecture's per-pixel formula",
        "standardiser",
        _standardiser('''
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return lambda x: (x - mean) / (std + 1e-4)
'''),
        fails=("test_standardiser",),
        full=True,
    ),
    Mutant("per-pixel std with too low a floor", "standardiser", _standardiser('''
    mean, std = x_train.mean(axis=0), np.maximum(x_train.std(axis=0), 1.0)
    return lambda x: (x - mean) / std
'''), fails=("test_standardiser",)),
    Mutant("standardises with the validation statistics", "standardiser", _standardiser('''
    mean, std = float(X_VAL_RAW.mean()), float(X_VAL_RAW.std())
    return lambda x: (x - mean) / std
'''), fails=("test_standardiser",)),
    Mutant("uses the notebook's X_TRAIN_RAW instead of its argument", "standardiser",
           _standardiser('''
    mean, std = float(X_TRAIN_RAW.mean()), float(X_TRAIN_RAW.std())
    return lambda x: (x - mean) / std
'''), fails=("test_standardiser",)),
    Mutant("standardises each batch with its own statistics", "standardiser", _standardiser('''
    return lambda x: (x - x.mean()) / x.std()
'''), fails=("test_standardiser",)),
    # No print line: in the one-kernel mutant run it would change X_VAL_RAW for the cells after.
    Mutant("standardises the images in place", "standardiser", _standardiser('''
    mean, std = float(x_train.mean()), float(x_train.std())

    def standardise(x):
        x -= mean
        x /= std
        return x

    return standardise
''', print_line=False), fails=("test_standardiser",)),
    Mutant("returns flat images", "standardiser", _standardiser('''
    mean, std = float(x_train.mean()), float(x_train.std())
    return lambda x: (np.reshape(x, (len(x), -1)) - mean) / std
'''), fails=("test_standardiser",)),
    Mutant("only for 28x28 images", "standardiser", _standardiser('''
    mean, std = float(x_train.mean()), float(x_train.std())
    return lambda x: ((np.reshape(x, (-1, 784)) - mean) / std).reshape(-1, 28, 28, 1)
'''), fails=("test_standardiser",)),
    Mutant("divides by 255, no centring", "standardiser", _standardiser('''
    return lambda x: np.asarray(x, dtype="float32") / 255.0
'''), fails=("test_standardiser",)),
    Mutant("centres, then divides by the range", "standardiser", _standardiser('''
    mean, spread = float(x_train.mean()), float(x_train.max() - x_train.min())
    return lambda x: (x - mean) / spread
'''), fails=("test_standardiser",)),
    # cnn2
    Mutant("missing BatchNormalization in the block", "cnn2",
           _cnn2(_CONV16 + _RELU + _POOL, epochs=3), fails=("test_cnn2",), full=True),
    Mutant("ReLU before BatchNormalization", "cnn2", _cnn2(_CONV16 + _RELU + _BN + _POOL),
           fails=("test_cnn2",)),
    Mutant("BatchNormalization with Keras's default momentum", "cnn2",
           _cnn2(_CONV16 + "keras.layers.BatchNormalization(), " + _RELU + _POOL),
           fails=("test_cnn2",)),
    Mutant("32 filters", "cnn2",
           _cnn2('keras.layers.Conv2D(32, 3, padding="same"), ' + _BN + _RELU + _POOL),
           fails=("test_cnn2",)),
    Mutant("5x5 kernel", "cnn2",
           _cnn2('keras.layers.Conv2D(16, 5, padding="same"), ' + _BN + _RELU + _POOL),
           fails=("test_cnn2",)),
    Mutant("valid padding", "cnn2", _cnn2("keras.layers.Conv2D(16, 3), " + _BN + _RELU + _POOL),
           fails=("test_cnn2",)),
    Mutant("dilated convolution (same shapes and counts)", "cnn2",
           _cnn2('keras.layers.Conv2D(16, 3, padding="same", dilation_rate=2), '
                 + _BN + _RELU + _POOL),
           fails=("test_cnn2",)),
    Mutant("average pooling", "cnn2",
           _cnn2(_CONV16 + _BN + _RELU + "keras.layers.AveragePooling2D(2)"), fails=("test_cnn2",)),
    # augment
    Mutant("adds the lecture's flips", "augmentation",
           _augment(extra='keras.layers.RandomFlip("horizontal_and_vertical")'),
           fails=("test_augmentation",), full=True),
    Mutant("keeps the default fill mode (reflect)", "augmentation",
           _augment("keras.layers.RandomRotation(0.05)", "keras.layers.RandomTranslation(0.1, 0.1)",
                    "keras.layers.RandomZoom(0.1)"),
           fails=("test_augmentation",)),
    Mutant("rotation factor 0.1 (up to ±36°)", "augmentation",
           _augment(rotation='keras.layers.RandomRotation(0.1, fill_mode="constant")'),
           fails=("test_augmentation",)),
    Mutant("translates vertically only", "augmentation",
           _augment(translation='keras.layers.RandomTranslation(0.1, 0.0, fill_mode="constant")'),
           fails=("test_augmentation",)),
    Mutant("zooms by up to 20 %", "augmentation",
           _augment(zoom='keras.layers.RandomZoom(0.2, fill_mode="constant")'),
           fails=("test_augmentation",)),
    # my_cnn (tests/test_adversarial_week03.py uses "stops after one epoch")
    Mutant("stops after one epoch", "my_cnn", _my_cnn(epochs=1), fails=("test_my_cnn",)),
    Mutant("a fully connected network", "my_cnn", _my_cnn(
        'keras.layers.Flatten(), keras.layers.Dense(128, activation="relu"), '
        'keras.layers.Dense(10, activation="softmax")', epochs=3), fails=("test_my_cnn",)),
    Mutant("trained on raw pixels 0-255", "my_cnn", _my_cnn(x="X_TRAIN_RAW", epochs=1),
           fails=("test_my_cnn",)),
    Mutant("raises MAX_PARAMS in its cell", "my_cnn", _my_cnn(
        'keras.layers.Conv2D(32, 3, padding="same", activation="relu"), keras.layers.Flatten(), '
        'keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10, activation="softmax")',
        before="MAX_PARAMS = 2_000_000  # a bigger network\n", x="X_TRAIN[:256]",
        y="y_train[:256]"),
        fails=("test_my_cnn",)),
    Mutant("raises MAX_EPOCHS in its cell", "my_cnn", _my_cnn(
        before="MAX_EPOCHS = 30  # more time to learn\n", x="X_TRAIN[:256]", y="y_train[:256]",
        epochs=25), fails=("test_my_cnn",)),
    Mutant("a second fit() call beyond the budget", "my_cnn", _my_cnn(
        fit="my_cnn.fit(X_TRAIN[:256], y_train[:256], epochs=15, verbose=0)\n"
        + _FIT.format(x="X_TRAIN[:256]", y="y_train[:256]", epochs=15)), fails=("test_my_cnn",)),
    Mutant("trains on the validation digits too", "my_cnn", _my_cnn(
        x="np.concatenate([X_TRAIN, X_VAL])", y="np.concatenate([y_train, y_val])"),
        fails=("test_my_cnn",)),
    Mutant("trains on the held-out test digits too", "my_cnn", _my_cnn(
        before="_split = data.mnist_split()\n"
        "x_more = np.concatenate([X_TRAIN, _split.x_test[..., np.newaxis] / 255.0])\n"
        "y_more = np.concatenate([y_train, _split.y_test])\n", x="x_more", y="y_more"),
        fails=("test_my_cnn",)),
]

# -- alternative correct answers, two styles per answer cell ----------------------------------

ALTERNATIVES = [
    Alternative("functional API, activation= arguments, counts as (inputs + 1) x outputs",
                "cnn1", '''
inputs = keras.Input(shape=(28, 28, 1))
maps = keras.layers.Conv2D(32, (3, 3), padding="same", activation="relu")(inputs)
probabilities = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(maps))
cnn1 = keras.Model(inputs, probabilities, name="cnn1")
conv_params = (3 * 3 * 1 + 1) * 32
dense_params = (28 * 28 * 32 + 1) * 10
cnn1.summary()
''', group=1),
    Alternative("Sequential.add, ReLU/Reshape/Softmax layers, named constants", "cnn1", '''
FILTERS, SIZE = 32, 3
cnn1 = keras.Sequential(name="cnn1")
cnn1.add(keras.Input(shape=(28, 28, 1)))
cnn1.add(keras.layers.Conv2D(filters=FILTERS, kernel_size=SIZE, strides=1, padding="same"))
cnn1.add(keras.layers.ReLU())
cnn1.add(keras.layers.Reshape((-1,)))
cnn1.add(keras.layers.Dense(units=10))
cnn1.add(keras.layers.Softmax())
conv_params = SIZE * SIZE * 1 * FILTERS + FILTERS
dense_params = 28 * 28 * FILTERS * 10 + 10
cnn1.summary()
''', group=2),
    Alternative("keras.layers.Normalization(axis=None) behind a function", "standardiser", '''
def make_standardiser(x_train):
    """A function that standardises images with statistics of x_train only, bounded on new data."""
    normalise = keras.layers.Normalization(axis=None)
    normalise.adapt(np.asarray(x_train, dtype="float32"))
    return lambda x: keras.ops.convert_to_numpy(normalise(x))


standardise = make_standardiser(X_TRAIN_RAW)
print("validation values from", standardise(X_VAL_RAW).min(), "to", standardise(X_VAL_RAW).max())
''', group=1),
    Alternative("a class: per-pixel statistics with a floor under the std", "standardiser", '''
class Standardiser:
    """Per-pixel mean and std of the training images; the std floored at 26 (255 / 26 < 10)."""

    def __init__(self, x_train):
        x_train = np.asarray(x_train, dtype=np.float64)
        self.mean = x_train.mean(axis=0)
        self.std = np.maximum(x_train.std(axis=0), 26.0)

    def __call__(self, x):
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std


def make_standardiser(x_train):
    """A function that standardises images with statistics of x_train only, bounded on new data."""
    return Standardiser(x_train)


standardise = make_standardiser(X_TRAIN_RAW)
print("validation values from", standardise(X_VAL_RAW).min(), "to", standardise(X_VAL_RAW).max())
''', group=2),
    Alternative("ReLU() and MaxPool2D layers, keyword arguments", "cnn2", _cnn2(
        'keras.layers.Conv2D(filters=16, kernel_size=(3, 3), strides=1, padding="same"), '
        "keras.layers.BatchNormalization(momentum=0.9), keras.layers.ReLU(), "
        "keras.layers.MaxPool2D(pool_size=(2, 2))", epochs=3), group=1),
    Alternative("the block as one nested Sequential", "cnn2", _cnn2(
        'keras.Sequential([keras.layers.Conv2D(16, 3, padding="same"), '
        "keras.layers.BatchNormalization(momentum=0.9), "
        "keras.layers.Activation(keras.activations.relu), "
        'keras.layers.MaxPooling2D(2, strides=2)], name="block2_end")', epochs=3), group=2),
    Alternative("functional model, factors as ranges", "augmentation", '''
inputs = keras.Input(shape=(28, 28, 1))
x = keras.layers.RandomRotation(factor=(-0.05, 0.05), fill_mode="constant")(inputs)
x = keras.layers.RandomTranslation(
    height_factor=(-0.1, 0.1), width_factor=(-0.1, 0.1), fill_mode="constant"
)(x)
x = keras.layers.RandomZoom(height_factor=(-0.1, 0.1), fill_mode="constant")(x)
augment = keras.Model(inputs, x, name="augment")
digit = X_TRAIN[:1]
versions = [augment(digit, training=True)[0] for _ in range(7)]
labels = ["original"] + [f"augmented {i + 1}" for i in range(7)]
plots.image_grid([digit[0]] + versions, labels=labels);
''', group=1),
    Alternative("Sequential.add in another order", "augmentation", '''
augment = keras.Sequential(name="augment")
augment.add(keras.Input(shape=(28, 28, 1)))
for layer in (
    keras.layers.RandomZoom(0.1, fill_mode="constant"),
    keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
    keras.layers.RandomRotation(0.05, fill_mode="constant"),
):
    augment.add(layer)
digit = X_TRAIN[:1]
versions = [augment(digit, training=True)[0] for _ in range(7)]
labels = ["original"] + [f"augmented {i + 1}" for i in range(7)]
plots.image_grid([digit[0]] + versions, labels=labels);
''', group=2),
    Alternative("functional model with augment and nested convolution blocks", "my_cnn", '''
EPOCHS, BATCH_SIZE, PEAK = 6, 128, 6e-3


def block(filters, pool):
    layers = [
        keras.layers.Conv2D(filters, 3, padding="same", use_bias=False),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.ReLU(),
    ]
    return keras.Sequential(layers + [keras.layers.MaxPool2D()] * pool, name=f"block_{filters}")


inputs = keras.Input(shape=(28, 28, 1))
x = augment(inputs)  # Exercise 4's augmentation, active only in training
x = block(64, False)(block(32, True)(block(16, True)(x)))
x = keras.layers.Dropout(0.4)(keras.layers.Flatten()(x))
outputs = keras.layers.Softmax()(keras.layers.Dense(10)(x))
my_cnn = keras.Model(inputs, outputs, name="my_cnn")
steps = EPOCHS * int(np.ceil(len(X_TRAIN) / BATCH_SIZE))
schedule = keras.optimizers.schedules.CosineDecay(
    PEAK / 10, decay_steps=steps - steps // 6, warmup_target=PEAK, warmup_steps=steps // 6
)
my_cnn.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
               metrics=["accuracy"])
my_history = my_cnn.fit(X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=EPOCHS,
                        batch_size=BATCH_SIZE, verbose=0)
print(f"my_cnn: {my_cnn.count_params():,} parameters")
plots.training_curves(my_history, title="my_cnn");
''', group=1),
    Alternative("Sequential.add, one-hot labels, trained in two fit() calls", "my_cnn", '''
EPOCHS, BATCH_SIZE, PEAK_LR = 6, 128, 6e-3
my_cnn = keras.Sequential(name="my_cnn")
my_cnn.add(keras.Input(shape=(28, 28, 1)))
my_cnn.add(keras.layers.RandomRotation(0.05, fill_mode="constant"))
my_cnn.add(keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant"))
my_cnn.add(keras.layers.RandomZoom(0.1, fill_mode="constant"))
for filters in (16, 32, 64):
    my_cnn.add(keras.layers.Conv2D(filters, 3, padding="same", use_bias=False))
    my_cnn.add(keras.layers.BatchNormalization(momentum=0.9))
    my_cnn.add(keras.layers.Activation("relu"))
    if filters < 64:
        my_cnn.add(keras.layers.MaxPooling2D())
my_cnn.add(keras.layers.Flatten())
my_cnn.add(keras.layers.Dropout(0.4))
my_cnn.add(keras.layers.Dense(10, activation="softmax"))
total = EPOCHS * -(-len(X_TRAIN) // BATCH_SIZE)
lr = keras.optimizers.schedules.CosineDecay(
    PEAK_LR / 10, decay_steps=total - total // 6, warmup_target=PEAK_LR, warmup_steps=total // 6
)
my_cnn.compile(optimizer=keras.optimizers.Adam(learning_rate=lr), loss="categorical_crossentropy",
               metrics=["accuracy"])
Y_TRAIN, Y_VAL = keras.utils.to_categorical(y_train, 10), keras.utils.to_categorical(y_val, 10)
# Two halves (a look at the curves half-way); the schedule goes on where it stopped.
my_cnn.fit(X_TRAIN, Y_TRAIN, validation_data=(X_VAL, Y_VAL), epochs=EPOCHS // 2,
           batch_size=BATCH_SIZE, verbose=0)
my_history = my_cnn.fit(X_TRAIN, Y_TRAIN, validation_data=(X_VAL, Y_VAL), initial_epoch=EPOCHS // 2,
                        epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
print(f"my_cnn: {my_cnn.count_params():,} parameters")
plots.training_curves(my_history, title="my_cnn");
''', group=2),
]

# -- the parameter audit: what each answer cell's instructions name ---------------------------

AUDIT = [
    AuditRow("cnn1", "Conv2D filters (32)", "test_cnn1", "16 filters"),
    AuditRow("cnn1", "Conv2D kernel size (3x3)", "test_cnn1", "5x5 kernel"),
    AuditRow("cnn1", "Conv2D padding='same'", "test_cnn1",
             "valid padding and no bias in the counts"),
    AuditRow("cnn1", "Conv2D stride 1, no dilation (same shapes and parameter counts otherwise)",
             "test_cnn1", "dilated convolution (same shapes and counts)"),
    AuditRow("cnn1", "ReLU after the convolution", "test_cnn1", "forgets the ReLU"),
    AuditRow("cnn1", "softmax after Dense(10)", "test_cnn1",
             "no softmax (the Dense layer's scores)"),
    AuditRow("cnn1", "conv_params = F·F·D_in·K + K", "test_cnn1", "conv_params without the biases"),
    AuditRow("cnn1", "dense_params = n_in·n_out + n_out (n_in = 28·28·32)", "test_cnn1",
             "dense_params without the channels"),
    AuditRow("standardiser", "statistics of x_train only (not of other data)", "test_standardiser",
             "standardises with the validation statistics"),
    AuditRow("standardiser", "statistics of its argument x_train (tried on inverted digits)",
             "test_standardiser", "uses the notebook's X_TRAIN_RAW instead of its argument"),
    AuditRow("standardiser", "no statistics of x (one image alone or in a batch)",
             "test_standardiser", "standardises each batch with its own statistics"),
    AuditRow("standardiser", "leaves x unchanged", "test_standardiser",
             "standardises the images in place"),
    AuditRow("standardiser", "output of the same shape as x", "test_standardiser",
             "returns flat images"),
    AuditRow("standardiser", "any image size like x_train's (tried at 28x28 and 8x8)",
             "test_standardiser", "only for 28x28 images"),
    AuditRow("standardiser", "mean about 0 on the training data", "test_standardiser",
             "divides by 255, no centring"),
    AuditRow("standardiser", "spread about 1 on the training data", "test_standardiser",
             "centres, then divides by the range"),
    AuditRow("standardiser", "within ±10 for pixels 0-255, also where training pixels were 0",
             "test_standardiser", "the lecture's per-pixel formula"),
    AuditRow("standardiser", "within ±10: a floor under a per-pixel std", "test_standardiser",
             "per-pixel std with too low a floor"),
    AuditRow("cnn2", "BatchNormalization in the block", "test_cnn2",
             "missing BatchNormalization in the block"),
    AuditRow("cnn2", "order Conv2D -> BatchNormalization -> ReLU -> MaxPooling2D", "test_cnn2",
             "ReLU before BatchNormalization"),
    AuditRow("cnn2", "BatchNormalization(momentum=0.9)", "test_cnn2",
             "BatchNormalization with Keras's default momentum"),
    AuditRow("cnn2", "Conv2D filters (16)", "test_cnn2", "32 filters"),
    AuditRow("cnn2", "Conv2D kernel size (3x3)", "test_cnn2", "5x5 kernel"),
    AuditRow("cnn2", "Conv2D padding='same'", "test_cnn2", "valid padding"),
    AuditRow("cnn2", "Conv2D stride 1, no dilation (same shapes and parameter counts otherwise)",
             "test_cnn2", "dilated convolution (same shapes and counts)"),
    AuditRow("cnn2", "MaxPooling2D (2x2)", "test_cnn2", "average pooling"),
    AuditRow("augmentation", "RandomRotation factor 0.05 (of a full circle)", "test_augmentation",
             "rotation factor 0.1 (up to ±36°)"),
    AuditRow("augmentation", "RandomTranslation(0.1, 0.1): height and width", "test_augmentation",
             "translates vertically only"),
    AuditRow("augmentation", "RandomZoom factor 0.1", "test_augmentation", "zooms by up to 20 %"),
    AuditRow("augmentation", "fill_mode='constant' on every layer", "test_augmentation",
             "keeps the default fill mode (reflect)"),
    AuditRow("augmentation", "exactly these three layers (no flips)", "test_augmentation",
             "adds the lecture's flips"),
    AuditRow("my_cnn", "at least 96 % on the held-out test digits", "test_my_cnn",
             "stops after one epoch"),
    AuditRow("my_cnn", "a CNN (a convolution layer, nested models included)", "test_my_cnn",
             "a fully connected network"),
    AuditRow("my_cnn", "input images in [0, 1], preprocessing inside the model", "test_my_cnn",
             "trained on raw pixels 0-255"),
    AuditRow("my_cnn", "MAX_PARAMS = 500,000 (read-only cell; re-checked as a literal)",
             "test_my_cnn", "raises MAX_PARAMS in its cell"),
    AuditRow("my_cnn", "MAX_EPOCHS = 20 (read-only cell; epochs as recorded by fit)",
             "test_my_cnn", "raises MAX_EPOCHS in its cell"),
    AuditRow("my_cnn", "MAX_EPOCHS counts every fit() call", "test_my_cnn",
             "a second fit() call beyond the budget"),
    AuditRow("my_cnn", "trained on X_TRAIN only: not on the validation digits", "test_my_cnn",
             "trains on the validation digits too"),
    AuditRow("my_cnn", "trained on X_TRAIN only: not on the held-out test digits", "test_my_cnn",
             "trains on the held-out test digits too"),
]
