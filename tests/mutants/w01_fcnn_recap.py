"""Plausible wrong answers for week 01 (fully connected networks, recap)."""

from mutants import Mutant

_COLLAPSE_TAIL = '''
W, b = collapse(W1, b1, W2, b2)
two_linear_layers = (X_SMALL @ W1 + b1) @ W2 + b2
gap_linear = np.abs(two_linear_layers - (X_SMALL @ W + b)).max()
with_relu = np.maximum(X_SMALL @ W1 + b1, 0.0) @ W2 + b2
gap_relu = np.abs(with_relu - (X_SMALL @ W + b)).max()
'''

_SYMMETRIC = '''
EPOCHS_SYMMETRIC = 3
same = keras.initializers.Constant(0.01)
symmetric = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(64{init}),
        keras.layers.Activation("relu"),{dropout}
        keras.layers.Dense(10{init}),
        keras.layers.Activation("softmax"),
    ]
)
symmetric.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
symmetric_history = symmetric.fit(
    X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=EPOCHS_SYMMETRIC, batch_size=128,
    verbose=0,
)
'''

MUTANTS = [
    Mutant(
        "forgets that the first bias passes through W2",
        "collapse",
        '''
def collapse(W1, b1, W2, b2):
    return W1 @ W2, b2
'''
        + _COLLAPSE_TAIL,
        fails=("test_collapse",),
        full=True,
    ),
    Mutant(
        "compares with the linear network instead of the ReLU network",
        "collapse",
        '''
def collapse(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


W, b = collapse(W1, b1, W2, b2)
gap_linear = np.abs((X_SMALL @ W1 + b1) @ W2 + b2 - (X_SMALL @ W + b)).max()
gap_relu = np.abs((X_SMALL @ W1 + b1) @ W2 + b2 - (X_SMALL @ W + b)).max()
''',
        fails=("test_collapse",),
    ),
    Mutant(
        "forgets the biases",
        "param_counts",
        '''
def dense_params(n_in, n_out):
    return n_in * n_out


def batchnorm_params(n):
    return 4 * n


sizes = [784, 500, 50, 10]
fcnn_params = [dense_params(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
fcnn_total = sum(fcnn_params)
fcnn_bn_total = fcnn_total + batchnorm_params(500) + batchnorm_params(50)
fcnn_bn_non_trainable = (batchnorm_params(500) + batchnorm_params(50)) // 2
''',
        fails=("test_param_counts",),
    ),
    Mutant(
        "counts only gamma and beta of batch normalisation",
        "param_counts",
        '''
def dense_params(n_in, n_out):
    return n_in * n_out + n_out


def batchnorm_params(n):
    return 2 * n


sizes = [784, 500, 50, 10]
fcnn_params = [dense_params(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
fcnn_total = sum(fcnn_params)
fcnn_bn_total = fcnn_total + batchnorm_params(500) + batchnorm_params(50)
fcnn_bn_non_trainable = 0
''',
        fails=("test_param_counts",),
    ),
    Mutant(
        "batch normalisation after the activation",
        "fcnn_models",
        '''
fcnn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(500),
        keras.layers.Activation("relu"),
        keras.layers.Dense(50),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
)
fcnn_bn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(500),
        keras.layers.Activation("relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(50),
        keras.layers.Activation("relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
)
''',
        fails=("test_fcnn_models",),
        full=True,
    ),
    Mutant(
        "activations inside the Dense layers, sigmoid output",
        "fcnn_models",
        '''
fcnn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(500, activation="relu"),
        keras.layers.Activation("linear"),
        keras.layers.Dense(50, activation="relu"),
        keras.layers.Activation("linear"),
        keras.layers.Dense(10),
        keras.layers.Activation("sigmoid"),
    ]
)
fcnn_bn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(500),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Dense(50),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
)
''',
        fails=("test_fcnn_models",),
    ),
    Mutant(
        "keeps Keras's random initialisation",
        "symmetric",
        _SYMMETRIC.format(init="", dropout=""),
        fails=("test_symmetric",),
        full=True,
    ),
    Mutant(
        "adds dropout",
        "symmetric",
        _SYMMETRIC.format(
            init=", kernel_initializer=same", dropout='\n        keras.layers.Dropout(0.3),'
        ),
        fails=("test_symmetric",),
    ),
    Mutant(
        "takes the gradient of the last layer",
        "gradient_norm",
        '''
def first_layer_gradient_norm(model, x, y):
    x = tf.convert_to_tensor(x, dtype="float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x)))
    return float(tf.norm(tape.gradient(loss, model.trainable_variables[-2])))


default_norm = first_layer_gradient_norm(default_net, X_TRAIN[:256], y_train[:256])
large_norm = first_layer_gradient_norm(large_net, X_TRAIN[:256], y_train[:256])
''',
        fails=("test_gradient_norm",),
    ),
    Mutant(
        "sums the loss instead of averaging it",
        "gradient_norm",
        '''
def first_layer_gradient_norm(model, x, y):
    x = tf.convert_to_tensor(x, dtype="float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(keras.losses.sparse_categorical_crossentropy(y, model(x)))
    return float(tf.norm(tape.gradient(loss, model.layers[0].kernel)))


default_norm = first_layer_gradient_norm(default_net, X_TRAIN[:256], y_train[:256])
large_norm = first_layer_gradient_norm(large_net, X_TRAIN[:256], y_train[:256])
''',
        fails=("test_gradient_norm",),
    ),
    Mutant(
        "He limit (fan-in only)",
        "glorot",
        '''
def glorot_limit(n_in, n_out):
    return float(np.sqrt(6.0 / n_in))
''',
        fails=("test_glorot",),
    ),
    Mutant(
        "the standard deviation instead of the limit",
        "glorot",
        '''
def glorot_limit(n_in, n_out):
    return float(np.sqrt(2.0 / (n_in + n_out)))
''',
        fails=("test_glorot",),
    ),
    Mutant(
        "sigmoid network trained with plain SGD for two epochs",
        "best_fcnn",
        '''
MAX_EPOCHS, MAX_PARAMS = 30, 1_000_000
best_fcnn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(100, activation="sigmoid"),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
best_fcnn.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = best_fcnn.fit(X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=2, verbose=0)
''',
        fails=("test_best_fcnn",),
        full=True,
    ),
    Mutant(
        "uses a convolution",
        "best_fcnn",
        '''
MAX_EPOCHS, MAX_PARAMS = 30, 1_000_000
best_fcnn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Reshape((28, 28, 1)),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
best_fcnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = best_fcnn.fit(X_TRAIN[:512], y_train[:512], epochs=1, verbose=0)
''',
        fails=("test_best_fcnn",),
    ),
]
