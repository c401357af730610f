"""Plausible wrong answers, alternative correct answers and the parameter audit for week 01
(fully connected networks, recap)."""

from mutants import Alternative, AuditRow, Mutant

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

_BEST_TAIL = '''
best_fcnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = best_fcnn.fit({x}, {y}, validation_data=(X_VAL, y_val), epochs={epochs},
                        batch_size={batch}, verbose=0)
'''


def _best(units: int, x: str = "X_TRAIN", y: str = "y_train", epochs: int = 8, batch: int = 128,
          head: str = "") -> str:
    return (
        head
        + f'''
best_fcnn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense({units}, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ]
)'''
        + _BEST_TAIL.format(x=x, y=y, epochs=epochs, batch=batch)
    )


MUTANTS += [
    Mutant(
        "uses the notebook's layers instead of its arguments",
        "collapse",
        '''
def collapse(W1_, b1_, W2_, b2_):
    return W1 @ W2, b1 @ W2 + b2
'''
        + _COLLAPSE_TAIL,
        fails=("test_collapse",),
    ),
    Mutant(
        "hidden sizes swapped (50 then 500)",
        "fcnn_models",
        '''
fcnn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(50),
        keras.layers.Activation("relu"),
        keras.layers.Dense(500),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ]
)
fcnn_bn = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(50),
        keras.layers.BatchNormalization(),
        keras.layers.Activation("relu"),
        keras.layers.Dense(500),
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
        "trains one epoch instead of EPOCHS_SYMMETRIC",
        "symmetric",
        _SYMMETRIC.format(init=", kernel_initializer=same", dropout="").replace(
            "EPOCHS_SYMMETRIC = 3", "EPOCHS_SYMMETRIC = 1"
        ),
        fails=("test_symmetric",),
    ),
    Mutant(
        "trains on the validation digits",
        "symmetric",
        _SYMMETRIC.format(init=", kernel_initializer=same", dropout="").replace(
            "X_TRAIN, y_train, validation_data=(X_VAL, y_val)", "X_VAL, y_val"
        ),
        fails=("test_symmetric",),
    ),
    Mutant(
        "compiles with RMSprop",
        "symmetric",
        _SYMMETRIC.format(init=", kernel_initializer=same", dropout="").replace(
            'optimizer="adam"', 'optimizer="rmsprop"'
        ),
        fails=("test_symmetric",),
    ),
    Mutant(
        "sigmoid hidden activation",
        "symmetric",
        _SYMMETRIC.format(init=", kernel_initializer=same", dropout="").replace(
            'Activation("relu")', 'Activation("sigmoid")'
        ),
        fails=("test_symmetric",),
    ),
    Mutant(
        "ignores x and y (always the first 256 training digits)",
        "gradient_norm",
        '''
def first_layer_gradient_norm(model, x, y):
    x = tf.convert_to_tensor(X_TRAIN[:256], dtype="float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y_train[:256], model(x)))
    return float(tf.norm(tape.gradient(loss, model.layers[0].kernel)))


default_norm = first_layer_gradient_norm(default_net, X_TRAIN[:256], y_train[:256])
large_norm = first_layer_gradient_norm(large_net, X_TRAIN[:256], y_train[:256])
''',
        fails=("test_gradient_norm",),
    ),
    Mutant(
        "default_norm on the validation digits",
        "gradient_norm",
        '''
def first_layer_gradient_norm(model, x, y):
    x = tf.convert_to_tensor(x, dtype="float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x)))
    return float(tf.norm(tape.gradient(loss, model.layers[0].kernel)))


default_norm = first_layer_gradient_norm(default_net, X_VAL[:256], y_val[:256])
large_norm = first_layer_gradient_norm(large_net, X_TRAIN[:256], y_train[:256])
''',
        fails=("test_gradient_norm",),
    ),
    Mutant(
        "swaps n_in into both terms",
        "glorot",
        '''
def glorot_limit(n_in, n_out):
    return float(np.sqrt(6.0 / (n_in + n_in)))
''',
        fails=("test_glorot",),
    ),
    Mutant(
        "raises MAX_EPOCHS and trains 35 epochs",
        "best_fcnn",
        _best(128, epochs=35, batch=512, head="MAX_EPOCHS, MAX_PARAMS = 40, 1_000_000\n"),
        fails=("test_best_fcnn",),
    ),
    Mutant(
        "raises MAX_PARAMS and uses 1.02 million parameters",
        "best_fcnn",
        _best(1290, epochs=4, batch=128, head="MAX_EPOCHS, MAX_PARAMS = 30, 2_000_000\n"),
        fails=("test_best_fcnn",),
    ),
    Mutant(
        "trains on the validation digits too",
        "best_fcnn",
        _best(256, x="np.concatenate([X_TRAIN, X_VAL])", y="np.concatenate([y_train, y_val])"),
        fails=("test_best_fcnn",),
    ),
    Mutant(
        "trains on the held-out test digits too",
        "best_fcnn",
        _best(
            256,
            x="np.concatenate([X_TRAIN, _held.x_test.reshape(-1, 784) / 255.0])",
            y="np.concatenate([y_train, _held.y_test])",
            head="_held = data.mnist_split()\n",
        ),
        fails=("test_best_fcnn",),
    ),
]

ALTERNATIVES = [
    Alternative(
        "np.dot and np.max(np.abs(...))",
        "collapse",
        '''
def collapse(W1, b1, W2, b2):
    return np.dot(W1, W2), np.dot(b1, W2) + b2


W, b = collapse(W1, b1, W2, b2)
hidden = np.dot(X_SMALL, W1) + b1
gap_linear = np.max(np.abs(np.dot(hidden, W2) + b2 - (np.dot(X_SMALL, W) + b)))
with_relu = np.dot(np.where(hidden > 0, hidden, 0), W2) + b2
gap_relu = np.max(np.abs(with_relu - (np.dot(X_SMALL, W) + b)))
''',
        group=1,
    ),
    Alternative(
        "einsum, transposed bias, a Keras model for the ReLU network",
        "collapse",
        '''
def collapse(W1, b1, W2, b2):
    W1, b1, W2, b2 = map(np.asarray, (W1, b1, W2, b2))
    return np.einsum("ij,jk->ik", W1, W2), W2.T @ b1 + b2


W, b = collapse(W1, b1, W2, b2)
one_layer_out = X_SMALL @ W + b
relu_model = keras.Sequential(
    [keras.Input((4,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(2)]
)
relu_model.set_weights([W1, b1, W2, b2])
gap_linear = float(np.abs((X_SMALL @ W1 + b1) @ W2 + b2 - one_layer_out).max())
gap_relu = float(np.abs(relu_model(X_SMALL).numpy() - one_layer_out).max())
''',
        group=2,
    ),
    Alternative(
        "(n_in + 1) * n_out and a loop",
        "param_counts",
        '''
def dense_params(n_in, n_out):
    return (n_in + 1) * n_out


def batchnorm_params(n):
    trainable = 2 * n  # gamma, beta
    moving = 2 * n  # moving mean and variance
    return trainable + moving


layer_sizes = (784, 500, 50, 10)
fcnn_params = []
for i in range(len(layer_sizes) - 1):
    fcnn_params.append(dense_params(layer_sizes[i], layer_sizes[i + 1]))
fcnn_total = sum(fcnn_params)
hidden_sizes = layer_sizes[1:-1]
fcnn_bn_total = fcnn_total + sum(batchnorm_params(n) for n in hidden_sizes)
fcnn_bn_non_trainable = sum(2 * n for n in hidden_sizes)
''',
        group=1,
    ),
    Alternative(
        "map over the layer pairs, tuple of counts",
        "param_counts",
        '''
def dense_params(n_in, n_out):
    weights = n_in * n_out
    biases = n_out
    return weights + biases


def batchnorm_params(n):
    return n * 4


sizes = [784, 500, 50, 10]
fcnn_params = tuple(map(dense_params, sizes[:-1], sizes[1:]))
fcnn_total = int(np.sum(fcnn_params))
bn_counts = [batchnorm_params(500), batchnorm_params(50)]
fcnn_bn_total = fcnn_total + sum(bn_counts)
fcnn_bn_non_trainable = sum(bn_counts) // 2
''',
        group=2,
    ),
    Alternative(
        "functional API",
        "fcnn_models",
        '''
def build(batchnorm):
    inputs = keras.Input(shape=(784,))
    h = inputs
    for units in (500, 50):
        h = keras.layers.Dense(units)(h)
        if batchnorm:
            h = keras.layers.BatchNormalization()(h)
        h = keras.layers.Activation("relu")(h)
    outputs = keras.layers.Activation("softmax")(keras.layers.Dense(10)(h))
    return keras.Model(inputs, outputs)


fcnn = build(batchnorm=False)
fcnn_bn = build(batchnorm=True)
''',
        group=1,
    ),
    Alternative(
        "Sequential.add with ReLU and Softmax layers, activation= in fcnn",
        "fcnn_models",
        '''
fcnn = keras.Sequential(name="fcnn")
fcnn.add(keras.Input(shape=(784,)))
fcnn.add(keras.layers.Dense(500, activation="relu"))
fcnn.add(keras.layers.Dense(50, activation="relu"))
fcnn.add(keras.layers.Dense(10, activation="softmax"))

fcnn_bn = keras.Sequential(name="fcnn_bn")
fcnn_bn.add(keras.Input(shape=(784,)))
for units in [500, 50]:
    fcnn_bn.add(keras.layers.Dense(units, use_bias=True))
    fcnn_bn.add(keras.layers.BatchNormalization())
    fcnn_bn.add(keras.layers.ReLU())
fcnn_bn.add(keras.layers.Dense(10))
fcnn_bn.add(keras.layers.Softmax())
''',
        group=2,
    ),
    Alternative(
        "functional API, activation= arguments, optimizer and loss objects",
        "symmetric",
        '''
EPOCHS_SYMMETRIC = 3

start = keras.initializers.Constant(value=0.01)
inputs = keras.Input(shape=(784,))
hidden = keras.layers.Dense(64, activation="relu", kernel_initializer=start)(inputs)
outputs = keras.layers.Dense(10, activation="softmax", kernel_initializer=start)(hidden)
symmetric = keras.Model(inputs, outputs)
symmetric.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=["accuracy"],
)
symmetric_history = symmetric.fit(
    X_TRAIN, y_train, epochs=EPOCHS_SYMMETRIC, batch_size=64, verbose=0
)
''',
        group=1,
    ),
    Alternative(
        "default initialisation overwritten with set_weights",
        "symmetric",
        '''
EPOCHS_SYMMETRIC = 3

symmetric = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        keras.layers.Dense(64),
        keras.layers.ReLU(),
        keras.layers.Dense(10),
        keras.layers.Softmax(),
    ]
)
symmetric.set_weights(
    [np.full((784, 64), 0.01), np.zeros(64), np.full((64, 10), 0.01), np.zeros(10)]
)
symmetric.compile(optimizer="Adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
symmetric_history = symmetric.fit(
    X_TRAIN, y_train, epochs=EPOCHS_SYMMETRIC, validation_data=(X_VAL, y_val), verbose=0
)
''',
        group=2,
    ),
    Alternative(
        "loss object, trainable_weights, np.linalg.norm",
        "gradient_norm",
        '''
cross_entropy = keras.losses.SparseCategoricalCrossentropy()  # averages over the batch


def first_layer_gradient_norm(model, x, y):
    first_kernel = model.layers[0].trainable_weights[0]
    with tf.GradientTape() as tape:
        loss = cross_entropy(y, model(np.asarray(x, dtype="float32")))
    return float(np.linalg.norm(tape.gradient(loss, first_kernel).numpy()))


batch_x, batch_y = X_TRAIN[:256], y_train[:256]
default_norm = first_layer_gradient_norm(default_net, batch_x, batch_y)
large_norm = first_layer_gradient_norm(large_net, batch_x, batch_y)
''',
        group=1,
    ),
    Alternative(
        "trainable_variables[0], loss summed and divided, sum of squares",
        "gradient_norm",
        '''
def first_layer_gradient_norm(model, x, y):
    kernel = model.trainable_variables[0]  # the first layer's kernel comes first
    with tf.GradientTape() as tape:
        probabilities = model(tf.constant(x, dtype=tf.float32), training=False)
        per_sample = keras.losses.sparse_categorical_crossentropy(tf.constant(y), probabilities)
        loss = tf.reduce_sum(per_sample) / tf.cast(tf.shape(per_sample)[0], tf.float32)
    gradient = tape.gradient(loss, kernel)
    return float(tf.sqrt(tf.reduce_sum(tf.square(gradient))))


default_norm, large_norm = (
    first_layer_gradient_norm(net, X_TRAIN[:256], y_train[:256]) for net in (default_net, large_net)
)
''',
        group=2,
    ),
    Alternative(
        "math.sqrt",
        "glorot",
        '''
import math


def glorot_limit(n_in, n_out):
    return math.sqrt(6 / (n_in + n_out))
''',
        group=1,
    ),
    Alternative(
        "from the variance 2 / (n_in + n_out)",
        "glorot",
        '''
def glorot_limit(n_in, n_out):
    variance = 2.0 / (n_in + n_out)
    return (3.0 * variance) ** 0.5  # a uniform [-l, l] has variance l**2 / 3
''',
        group=2,
    ),
    Alternative(
        "functional API, two ReLU layers with dropout, Adam",
        "best_fcnn",
        '''
EPOCHS = 12
BATCH_SIZE = 64
inputs = keras.Input(shape=(784,))
h = keras.layers.Dense(512, activation="relu")(inputs)
h = keras.layers.Dropout(0.3)(h)
h = keras.layers.Dense(128, activation="relu")(h)
h = keras.layers.Dropout(0.3)(h)
outputs = keras.layers.Dense(10, activation="softmax")(h)
best_fcnn = keras.Model(inputs, outputs, name="best_fcnn")
best_fcnn.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
history = best_fcnn.fit(X_TRAIN, y_train, validation_data=(X_VAL, y_val), epochs=EPOCHS,
                        batch_size=BATCH_SIZE, verbose=0)
''',
        group=1,
    ),
    Alternative(
        "Sequential.add, ReLU layers, early stopping on the validation loss",
        "best_fcnn",
        '''
EPOCHS = 25
BATCH_SIZE = 32
best_fcnn = keras.Sequential()
best_fcnn.add(keras.Input(shape=(784,)))
for units in (400, 100):
    best_fcnn.add(keras.layers.Dense(units))
    best_fcnn.add(keras.layers.ReLU())
    best_fcnn.add(keras.layers.Dropout(0.25))
best_fcnn.add(keras.layers.Dense(10))
best_fcnn.add(keras.layers.Softmax())
best_fcnn.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"])
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
history = best_fcnn.fit(X_TRAIN, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE,
                        validation_data=(X_VAL, y_val), callbacks=[stop], verbose=0)
''',
        group=2,
    ),
]

AUDIT = [
    AuditRow("collapse", "W1, b1, W2, b2 of any sizes (tried 6-5-4, 3-8-1, 10-2-7)",
             "test_collapse", "uses the notebook's layers instead of its arguments"),
    AuditRow("collapse", "b1 (passes through W2)", "test_collapse",
             "forgets that the first bias passes through W2"),
    AuditRow("collapse", "gap_relu (ReLU between the layers, against Keras)", "test_collapse",
             "compares with the linear network instead of the ReLU network"),
    AuditRow("param_counts", "dense_params n_in, n_out (tried (3, 7), (1, 1), (100, 20), (64, 1))",
             "test_param_counts", "forgets the biases"),
    AuditRow("param_counts", "batchnorm_params n (tried 1, 13, 256)", "test_param_counts",
             "counts only gamma and beta of batch normalisation"),
    AuditRow("param_counts", "fcnn_bn_non_trainable (moving mean and variance)",
             "test_param_counts", "counts only gamma and beta of batch normalisation"),
    AuditRow("fcnn_models", "hidden sizes 500, 50 (kernel shapes)", "test_fcnn_models",
             "hidden sizes swapped (50 then 500)"),
    AuditRow("fcnn_models", "activations relu, relu, softmax (NumPy forward pass)",
             "test_fcnn_models", "activations inside the Dense layers, sigmoid output"),
    AuditRow("fcnn_models", "BatchNormalization between Dense and activation (random statistics)",
             "test_fcnn_models", "batch normalisation after the activation"),
    AuditRow("symmetric", "kernel_initializer Constant(0.01) in both Dense layers",
             "test_symmetric", "keeps Keras's random initialisation"),
    AuditRow("symmetric", "no dropout", "test_symmetric", "adds dropout"),
    AuditRow("symmetric", "Dense(64) + relu, Dense(10) + softmax (NumPy forward pass)",
             "test_symmetric", "sigmoid hidden activation"),
    AuditRow("symmetric", "EPOCHS_SYMMETRIC = 3 (epochs counted by provenance, not history)",
             "test_symmetric", "trains one epoch instead of EPOCHS_SYMMETRIC"),
    AuditRow("symmetric", "trained on X_TRAIN (not on the validation digits)", "test_symmetric",
             "trains on the validation digits"),
    AuditRow("symmetric", "compiled with Adam and sparse categorical cross-entropy",
             "test_symmetric", "compiles with RMSprop"),
    AuditRow("gradient_norm", "model: the first layer's kernel", "test_gradient_norm",
             "takes the gradient of the last layer"),
    AuditRow("gradient_norm", "the mean cross-entropy", "test_gradient_norm",
             "sums the loss instead of averaging it"),
    AuditRow("gradient_norm", "x, y (tried on a 12-6-4 tanh network)", "test_gradient_norm",
             "ignores x and y (always the first 256 training digits)"),
    AuditRow("gradient_norm", "default_norm, large_norm on the first 256 training digits",
             "test_gradient_norm", "default_norm on the validation digits"),
    AuditRow("glorot", "n_in + n_out (tried (50, 10), (3, 900), (1000, 1000))", "test_glorot",
             "swaps n_in into both terms"),
    AuditRow("glorot", "the limit, not the standard deviation", "test_glorot",
             "the standard deviation instead of the limit"),
    AuditRow("best_fcnn", "fully connected (no convolutions)", "test_best_fcnn",
             "uses a convolution"),
    AuditRow("best_fcnn", "at least 92 % on the held-out test digits", "test_best_fcnn",
             "sigmoid network trained with plain SGD for two epochs"),
    AuditRow("best_fcnn", "MAX_EPOCHS = 30 (read-only cell; provenance counts the epochs)",
             "test_best_fcnn", "raises MAX_EPOCHS and trains 35 epochs"),
    AuditRow("best_fcnn", "MAX_PARAMS = 1,000,000 (read-only cell; re-checked in the test)",
             "test_best_fcnn", "raises MAX_PARAMS and uses 1.02 million parameters"),
    AuditRow("best_fcnn", "trained on X_TRAIN only (not on the validation digits)",
             "test_best_fcnn", "trains on the validation digits too"),
    AuditRow("best_fcnn", "the held-out test digits never trained on", "test_best_fcnn",
             "trains on the held-out test digits too"),
]
