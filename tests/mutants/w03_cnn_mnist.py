"""Plausible wrong answers for week 03 (CNNs on MNIST)."""

from mutants import Mutant

_CNN2 = '''
EPOCHS_CNN2 = {epochs}


def build_cnn2():
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
    X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=EPOCHS_CNN2, batch_size=32, verbose=0
)
'''

_AUGMENT = '''
augment = keras.Sequential(
    [{layers}]
)
'''

_CNN1 = '''
cnn1 = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        {conv},
        keras.layers.Activation("{act}"),
        keras.layers.Flatten(),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
)
conv_params = {conv_params}
dense_params = {dense_params}
'''

MUTANTS = [
    Mutant(
        "ReLU inside the convolution, linear Activation layer",
        "cnn1",
        _CNN1.format(
            conv='keras.layers.Conv2D(32, 3, padding="same", activation="relu")',
            act="linear",
            conv_params=320,
            dense_params=250_890,
        ),
        fails=("test_cnn1",),
    ),
    Mutant(
        "valid padding and no bias in the counts",
        "cnn1",
        _CNN1.format(
            conv="keras.layers.Conv2D(32, 3)",
            act="relu",
            conv_params=288,
            dense_params=26 * 26 * 32 * 10,
        ),
        fails=("test_cnn1",),
    ),
    Mutant(
        "the lecture's per-pixel formula",
        "standardiser",
        '''
def make_standardiser(x_train):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return lambda x: (x - mean) / (std + 1e-4)


standardise = make_standardiser(X_TRAIN_RAW)
''',
        fails=("test_standardiser",),
        full=True,
    ),
    Mutant(
        "standardises with the validation statistics",
        "standardiser",
        '''
def make_standardiser(x_train):
    mean, std = float(X_VAL_RAW.mean()), float(X_VAL_RAW.std())
    return lambda x: (x - mean) / std


standardise = make_standardiser(X_TRAIN_RAW)
''',
        fails=("test_standardiser",),
    ),
    Mutant(
        "standardises each batch with its own statistics",
        "standardiser",
        '''
def make_standardiser(x_train):
    return lambda x: (x - x.mean()) / x.std()


standardise = make_standardiser(X_TRAIN_RAW)
''',
        fails=("test_standardiser",),
    ),
    Mutant(
        "missing BatchNormalization in the block",
        "cnn2",
        _CNN2.format(
            epochs=3,
            block='keras.layers.Conv2D(16, 3, padding="same"), keras.layers.Activation("relu"), '
            "keras.layers.MaxPooling2D()",
        ),
        fails=("test_cnn2",),
        full=True,
    ),
    Mutant(
        "ReLU before BatchNormalization",
        "cnn2",
        _CNN2.format(
            epochs=1,
            block='keras.layers.Conv2D(16, 3, padding="same"), keras.layers.Activation("relu"), '
            "keras.layers.BatchNormalization(momentum=0.9), keras.layers.MaxPooling2D()",
        ),
        fails=("test_cnn2",),
    ),
    Mutant(
        "adds the lecture's flips",
        "augmentation",
        _AUGMENT.format(
            layers='keras.layers.RandomFlip("horizontal_and_vertical"), '
            'keras.layers.RandomRotation(0.05, fill_mode="constant"), '
            'keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant"), '
            'keras.layers.RandomZoom(0.1, fill_mode="constant")'
        ),
        fails=("test_augmentation",),
        full=True,
    ),
    Mutant(
        "keeps the default fill mode (reflect)",
        "augmentation",
        _AUGMENT.format(
            layers="keras.layers.RandomRotation(0.05), keras.layers.RandomTranslation(0.1, 0.1), "
            "keras.layers.RandomZoom(0.1)"
        ),
        fails=("test_augmentation",),
    ),
    Mutant(
        "stops after one epoch",
        "my_cnn",
        '''
MAX_EPOCHS, MAX_PARAMS = 20, 500_000
my_cnn = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
my_cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
my_history = my_cnn.fit(X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=1, verbose=0)
''',
        fails=("test_my_cnn",),
    ),
    Mutant(
        "a fully connected network",
        "my_cnn",
        '''
MAX_EPOCHS, MAX_PARAMS = 20, 500_000
my_cnn = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
my_cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
my_history = my_cnn.fit(X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=3, verbose=0)
''',
        fails=("test_my_cnn",),
    ),
]
