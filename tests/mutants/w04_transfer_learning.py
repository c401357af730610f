"""Plausible wrong answers, alternative correct answers and the parameter audit for week 04
(transfer learning).

Each mutant replaces a whole answer cell. The training budgets (HEAD_EPOCHS, ...,
FINE_TUNE_LEARNING_RATE) live in read-only cells above the answer cells; a mutant that changes
one restates it in its own cell, as a student could. None of the mutants changes the
pre-trained weights for good: the exercise-level run goes on with the real answers after each
mutant, in the same kernel.
"""

from mutants import Alternative, AuditRow, Mutant

_HEAD = """
inputs = keras.Input(shape=(28, 28, 1))
features = FEATURES
outputs = keras.layers.Dense(
    5, activation="softmax", kernel_regularizer=REGULARIZER, name="head"
)(features)
transfer_model = keras.Model(inputs, outputs, name="transfer_model")
transfer_model.compile(
    optimizer=OPTIMIZER,
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
transfer_model.fit(X, LABELS, epochs=EPOCHS, batch_size=BATCH, verbose=0)
"""


def _head(
    features: str = "feature_extractor(inputs, training=False)",
    labels: str = "y_few",
    epochs: str = "HEAD_EPOCHS",
    x: str = "x_few",
    batch: str = "HEAD_BATCH_SIZE",
    optimizer: str = "keras.optimizers.Adam(HEAD_LEARNING_RATE)",
    regularizer: str = "keras.regularizers.L2(HEAD_L2)",
    before: str = "",
) -> str:
    return before + (
        _HEAD.replace("FEATURES", features)
        .replace("LABELS", labels)
        .replace("EPOCHS", epochs)
        .replace("X,", x + ",")
        .replace("BATCH", batch)
        .replace("OPTIMIZER", optimizer)
        .replace("REGULARIZER", regularizer)
    )


_SKLEARN = """
train_features = FEATURES(x_few)
test_features = FEATURES(x_target_test)
logistic = LogisticRegression(max_iter=5000).fit(train_features, y_few)
forest = RandomForestClassifier(n_estimators=200, random_state=0).fit(train_features, y_few)
comparison = pd.DataFrame(
    {
        "held-out accuracy": {
            "CNN from scratch": scratch_accuracy,
            "new head (Keras)": head_accuracy,
            "logistic regression": logistic.score(test_features, y_target_test),
            "random forest": forest.score(test_features, y_target_test),
        }
    }
)
comparison
"""

_SKLEARN_OK = _SKLEARN.replace("FEATURES(", "feature_extractor.predict(verbose=0, x=")

_FINE_TUNING = """
feature_extractor.trainable = True
for layer in feature_extractor.layers:
    layer.trainable = TRAINABLE
COMPILE
transfer_model.fit(X, Y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
"""

# Mutants of the fine-tuning cell all train the same layers, one after the other, in the
# exercise-level run. Most of them first wrap those layers in a new Model object: a model's fit
# record (epochs, data) is kept per object, so each mutant starts with an empty record and none
# of them leaves its epochs or data on the model the next one (or the real answer) is graded on.
_REWRAP = "transfer_model = keras.Model(transfer_model.inputs, transfer_model.outputs)\n"

_RECOMPILE = """transfer_model.compile(
    optimizer=keras.optimizers.Adam(RATE),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)"""


def _fine_tuning(
    trainable: str = 'layer.name == "conv3"',
    rate: str | None = "FINE_TUNE_LEARNING_RATE",
    x: str = "x_few",
    y: str = "y_few",
    batch: str = "HEAD_BATCH_SIZE",
    epochs: str = "FINE_TUNE_EPOCHS",
    rewrap: bool = True,
) -> str:
    compile_ = "" if rate is None else _RECOMPILE.replace("RATE", rate)
    return (_REWRAP if rewrap else "") + (
        _FINE_TUNING.replace("TRAINABLE", trainable)
        .replace("EPOCHS", epochs)
        .replace("COMPILE", compile_)
        .replace("X,", x + ",")
        .replace("Y,", y + ",")
        .replace("BATCH", batch)
    )


# x_few and the 250 validation digits: cheap to train on, and data the instructions exclude.
_FEW_AND_VAL = "np.concatenate([x_few, x_target_val])", "np.concatenate([y_few, y_target_val])"

MUTANTS = [
    Mutant(
        "forgets to freeze the extractor",
        "feature_extractor",
        """
feature_extractor = keras.Model(
    pretrained.input, pretrained.get_layer("features").output, name="feature_extractor"
)
feature_extractor.summary()
""",
        fails=("test_feature_extractor",),
    ),
    Mutant(
        "keeps the old classifier (cuts at the output)",
        "feature_extractor",
        """
feature_extractor = keras.Model(pretrained.input, pretrained.output, name="feature_extractor")
feature_extractor.trainable = False
feature_extractor.summary()
""",
        fails=("test_feature_extractor",),
    ),
    Mutant(
        "cuts below the dropout (the 3 x 3 x 128 maps)",
        "feature_extractor",
        """
feature_extractor = keras.Model(pretrained.input, pretrained.get_layer("pool3").output)
feature_extractor.trainable = False
feature_extractor.summary()
""",
        fails=("test_feature_extractor",),
    ),
    Mutant(
        "rebuilds the architecture with new, untrained weights",
        "feature_extractor",
        """
fresh = make_cnn()
feature_extractor = keras.Model(fresh.input, fresh.get_layer("features").output)
feature_extractor.trainable = False
feature_extractor.summary()
""",
        fails=("test_feature_extractor",),
    ),
    Mutant(
        "trains the head for one epoch",
        "head",
        _head(epochs="1"),
        fails=("test_head",),
        full=True,
    ),
    Mutant(
        "trains on the digits 5-9 instead of the classes 0-4",
        "head",
        _head(labels="target.y_train[few]"),
        fails=("test_head",),
        crashes=True,  # labels 5-9 for 5 classes: fit raises, the model stays untrained
    ),
    Mutant(
        "puts the head on the old classifier's probabilities",
        "head",
        _head(features="pretrained(inputs, training=False)"),
        fails=("test_head",),
    ),
    Mutant(
        "also trains on the validation digits x_target_val",
        "head",
        _head(x=_FEW_AND_VAL[0], labels=_FEW_AND_VAL[1], batch="275"),
        fails=("test_head",),
    ),
    Mutant(
        "also trains on 200 of the held-out digits",
        "head",
        _head(
            x="np.concatenate([x_few, x_target_test[:200]])",
            labels="np.concatenate([y_few, y_target_test[:200]])",
            batch="225",
        ),
        fails=("test_head",),
    ),
    Mutant(
        "trains the head for 150 epochs",
        "head",
        _head(epochs="150"),
        fails=("test_head",),
    ),
    Mutant(
        "trains in batches of 16 (two steps per epoch)",
        "head",
        _head(batch="16"),
        fails=("test_head",),
    ),
    Mutant(
        "keeps Adam's default learning rate",
        "head",
        _head(optimizer='"adam"'),
        fails=("test_head",),
    ),
    Mutant(
        "forgets the L2 penalty",
        "head",
        _head(regularizer="None"),
        fails=("test_head",),
    ),
    Mutant(
        "uses L2(0.001) instead of L2(HEAD_L2)",
        "head",
        _head(regularizer="keras.regularizers.L2(0.001)"),
        fails=("test_head",),
    ),
    Mutant(
        "fits the classifiers on pixels",
        "sklearn_features",
        _SKLEARN.replace("FEATURES(x_few)", "x_few.reshape(len(x_few), -1)").replace(
            "FEATURES(x_target_test)", "x_target_test.reshape(len(x_target_test), -1)"
        ),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "uses the old classifier's probabilities as features",
        "sklearn_features",
        _SKLEARN.replace("FEATURES(", "pretrained.predict(verbose=0, x="),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "fits the classifiers on the held-out digits",
        "sklearn_features",
        _SKLEARN_OK.replace(
            "fit(train_features, y_few)", "fit(test_features, y_target_test)"
        ),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "scores on the validation digits instead of x_target_test",
        "sklearn_features",
        _SKLEARN_OK.replace("x=x_target_test)", "x=x_target_val)").replace(
            "y_target_test)", "y_target_val)"
        ),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "swaps the rows of the CNN from scratch and the Keras head",
        "sklearn_features",
        _SKLEARN_OK.replace('"CNN from scratch": scratch_accuracy', '"CNN from scratch": HA')
        .replace('"new head (Keras)": head_accuracy', '"new head (Keras)": scratch_accuracy')
        .replace("HA", "head_accuracy"),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "a forest of 20 trees",
        "sklearn_features",
        _SKLEARN_OK.replace("n_estimators=200", "n_estimators=20"),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "a strongly regularised logistic regression (C=0.001)",
        "sklearn_features",
        _SKLEARN_OK.replace("LogisticRegression(max_iter=5000)", "LogisticRegression(C=0.001)"),
        fails=("test_sklearn_features",),
    ),
    Mutant(
        "unfreezes the whole extractor",
        "fine_tuning",
        _fine_tuning(trainable="True"),
        fails=("test_fine_tuning",),
        full=True,
    ),
    Mutant(
        "unfreezes conv2 and conv3",
        "fine_tuning",
        _fine_tuning(trainable='layer.name in ("conv2", "conv3")'),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "keeps the head's learning rate",
        "fine_tuning",
        _fine_tuning(rate="HEAD_LEARNING_RATE"),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "fine-tunes with Adam(1e-3)",
        "fine_tuning",
        _fine_tuning(rate="1e-3"),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "forgets to compile again",
        "fine_tuning",
        _fine_tuning(rate=None, rewrap=False),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "also fine-tunes on the validation digits x_target_val",
        "fine_tuning",
        _fine_tuning(x=_FEW_AND_VAL[0], y=_FEW_AND_VAL[1], batch="275"),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "fine-tunes for 40 epochs",
        "fine_tuning",
        _fine_tuning(epochs="40"),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "fine-tunes in batches of 5",
        "fine_tuning",
        _fine_tuning(batch="5"),
        fails=("test_fine_tuning",),
    ),
]

ALTERNATIVES = [
    # Exercise 1: the layer by position, pretrained.inputs (a list), frozen layer by layer.
    Alternative(
        "layers[-2], inputs list, frozen layer by layer",
        "feature_extractor",
        """
feature_extractor = keras.Model(inputs=pretrained.inputs, outputs=pretrained.layers[-2].output)
for layer in feature_extractor.layers:
    layer.trainable = False
feature_extractor.summary()
""",
        group=1,
    ),
    # A Sequential model that reuses pretrained's layers below the classifier.
    Alternative(
        "Sequential of the shared layers",
        "feature_extractor",
        """
feature_extractor = keras.Sequential(
    [keras.Input(shape=(28, 28, 1))] + pretrained.layers[1:-1], name="extractor"
)
feature_extractor.trainable = False
feature_extractor.summary()
""",
        group=2,
    ),
    # Exercise 2: a separate Softmax layer, the l2 alias, a loss object, the default batch size
    # (32 > 25 images: one step per epoch), the budget in two fit() calls.
    Alternative(
        "Softmax layer, l2 alias, loss object, two fit calls",
        "head",
        """
inputs = keras.Input(shape=(28, 28, 1))
scores = keras.layers.Dense(5, kernel_regularizer=keras.regularizers.l2(HEAD_L2))(
    feature_extractor(inputs, training=False)
)
transfer_model = keras.Model(inputs=inputs, outputs=keras.layers.Softmax()(scores))
transfer_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=HEAD_LEARNING_RATE),
    loss=keras.losses.SparseCategoricalCrossentropy(),
)
first = transfer_model.fit(x_few, y_few, epochs=HEAD_EPOCHS // 2, verbose=0)
second = transfer_model.fit(x_few, y_few, epochs=HEAD_EPOCHS - HEAD_EPOCHS // 2, verbose=0)
""",
        group=1,
    ),
    # A subclassed model that holds the frozen extractor and the head.
    Alternative(
        "subclassed model",
        "head",
        """
class TransferModel(keras.Model):
    def __init__(self, extractor, **kwargs):
        super().__init__(**kwargs)
        self.extractor = extractor
        self.head = keras.layers.Dense(
            5, activation="softmax", kernel_regularizer=keras.regularizers.L2(HEAD_L2)
        )

    def call(self, x, training=False):
        return self.head(self.extractor(x, training=False))


transfer_model = TransferModel(feature_extractor)
transfer_model.compile(
    optimizer=keras.optimizers.Adam(HEAD_LEARNING_RATE),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = transfer_model.fit(
    x_few, y_few, epochs=HEAD_EPOCHS, batch_size=HEAD_BATCH_SIZE, shuffle=False, verbose=0
)
""",
        group=2,
    ),
    # Exercise 3: features by calling the model in batches, DataFrame.from_dict.
    Alternative(
        "features by calling the extractor, DataFrame.from_dict",
        "sklearn_features",
        """
def features_of(x, batch=500):
    return np.concatenate(
        [keras.ops.convert_to_numpy(feature_extractor(x[i : i + batch], training=False))
         for i in range(0, len(x), batch)]
    )


train_features, test_features = features_of(x_few), features_of(x_target_test)
logistic = LogisticRegression(max_iter=5000)
logistic.fit(train_features, y_few)
forest = RandomForestClassifier(n_estimators=200, random_state=0)
forest.fit(train_features, y_few)
scores = {
    "CNN from scratch": scratch_accuracy,
    "new head (Keras)": head_accuracy,
    "logistic regression": logistic.score(test_features, y_target_test),
    "random forest": forest.score(test_features, y_target_test),
}
comparison = pd.DataFrame.from_dict(scores, orient="index", columns=["held-out accuracy"])
comparison
""",
        group=1,
    ),
    Alternative(
        "accuracy_score and a Series",
        "sklearn_features",
        """
from sklearn.metrics import accuracy_score

train_features = feature_extractor.predict(x_few, batch_size=256, verbose=0)
test_features = feature_extractor.predict(x_target_test, batch_size=256, verbose=0)
models = {
    "logistic regression": LogisticRegression(max_iter=5000),
    "random forest": RandomForestClassifier(n_estimators=200, random_state=0),
}
accuracies = {"CNN from scratch": scratch_accuracy, "new head (Keras)": head_accuracy}
for name, model in models.items():
    model.fit(train_features, y_few)
    accuracies[name] = accuracy_score(y_target_test, model.predict(test_features))
logistic, forest = models["logistic regression"], models["random forest"]
comparison = pd.Series(accuracies).to_frame("held-out accuracy")
comparison
""",
        group=2,
    ),
    # Exercise 4: set conv1, conv2 and conv3 by name and leave the weightless layers alone.
    # (`feature_extractor.trainable = True` alone does not unfreeze layers that were frozen one
    # by one, as the group-1 extractor is.)
    Alternative(
        "unfreeze all, freeze conv1 and conv2 by name",
        "fine_tuning",
        """
feature_extractor.trainable = True
feature_extractor.get_layer("conv1").trainable = False
feature_extractor.get_layer("conv2").trainable = False
feature_extractor.get_layer("conv3").trainable = True
transfer_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=FINE_TUNE_LEARNING_RATE),
    loss=keras.losses.SparseCategoricalCrossentropy(),
)
transfer_model.fit(x_few, y_few, epochs=FINE_TUNE_EPOCHS, verbose=0)
""",
        group=1,
    ),
    # The last Conv2D found by type, the budget in two fit() calls.
    Alternative(
        "last Conv2D by type, two fit calls",
        "fine_tuning",
        """
feature_extractor.trainable = True
convolutions = [
    layer for layer in feature_extractor.layers if isinstance(layer, keras.layers.Conv2D)
]
for layer in feature_extractor.layers:
    layer.trainable = layer is convolutions[-1]
transfer_model.compile(
    optimizer=keras.optimizers.Adam(FINE_TUNE_LEARNING_RATE),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
for half in (FINE_TUNE_EPOCHS // 2, FINE_TUNE_EPOCHS - FINE_TUNE_EPOCHS // 2):
    transfer_model.fit(x_few, y_few, epochs=half, batch_size=HEAD_BATCH_SIZE, verbose=0)
""",
        group=2,
    ),
]

_E, _H, _S, _F = "feature_extractor", "head", "sklearn_features", "fine_tuning"
AUDIT = [
    AuditRow(_E, "the layer to cut at ('features': 1,152 outputs)", "test_feature_extractor",
             "keeps the old classifier (cuts at the output)"),
    AuditRow(_E, "the layer to cut at (not below the dropout/flatten)", "test_feature_extractor",
             "cuts below the dropout (the 3 x 3 x 128 maps)"),
    AuditRow(_E, "frozen (trainable = False)", "test_feature_extractor",
             "forgets to freeze the extractor"),
    AuditRow(_E, "built from pretrained's own layers and weights", "test_feature_extractor",
             "rebuilds the architecture with new, untrained weights"),
    AuditRow(_H, "the head on the frozen features (not on the old classifier)", "test_head",
             "puts the head on the old classifier's probabilities"),
    AuditRow(_H, "labels y_few (classes 0-4)", "test_head",
             "trains on the digits 5-9 instead of the classes 0-4"),
    AuditRow(_H, "training data x_few only (not x_target_val)", "test_head",
             "also trains on the validation digits x_target_val"),
    AuditRow(_H, "training data x_few only (not the held-out x_target_test)", "test_head",
             "also trains on 200 of the held-out digits"),
    AuditRow(_H, "HEAD_EPOCHS = 100 (at most, read-only cell, checked by the fit record)",
             "test_head", "trains the head for 150 epochs"),
    AuditRow(_H, "HEAD_EPOCHS enough to train (accuracy >= 80% and scratch + MARGIN)",
             "test_head", "trains the head for one epoch"),
    AuditRow(_H, "HEAD_BATCH_SIZE = 25 (optimizer steps <= 100)", "test_head",
             "trains in batches of 16 (two steps per epoch)"),
    AuditRow(_H, "HEAD_LEARNING_RATE = 3e-3", "test_head", "keeps Adam's default learning rate"),
    AuditRow(_H, "kernel_regularizer present", "test_head", "forgets the L2 penalty"),
    AuditRow(_H, "HEAD_L2 = 0.01", "test_head", "uses L2(0.001) instead of L2(HEAD_L2)"),
    AuditRow(_S, "features of feature_extractor (not pixels)", "test_sklearn_features",
             "fits the classifiers on pixels"),
    AuditRow(_S, "features below the classifier (not its probabilities)", "test_sklearn_features",
             "uses the old classifier's probabilities as features"),
    AuditRow(_S, "train_features of x_few, y_few only", "test_sklearn_features",
             "fits the classifiers on the held-out digits"),
    AuditRow(_S, "test_features of x_target_test", "test_sklearn_features",
             "scores on the validation digits instead of x_target_test"),
    AuditRow(_S, "LogisticRegression(max_iter=5000) with its default regularisation",
             "test_sklearn_features", "a strongly regularised logistic regression (C=0.001)"),
    AuditRow(_S, "RandomForestClassifier(n_estimators=200)", "test_sklearn_features",
             "a forest of 20 trees"),
    AuditRow(_S, "comparison rows: scratch_accuracy and head_accuracy in their rows",
             "test_sklearn_features", "swaps the rows of the CNN from scratch and the Keras head"),
    AuditRow(_F, "conv3 trainable, conv1 and conv2 frozen", "test_fine_tuning",
             "unfreezes conv2 and conv3"),
    AuditRow(_F, "only conv3 of the extractor trainable", "test_fine_tuning",
             "unfreezes the whole extractor"),
    AuditRow(_F, "compile again after changing trainable", "test_fine_tuning",
             "forgets to compile again"),
    AuditRow(_F, "FINE_TUNE_LEARNING_RATE = 1e-4 (not the head's 3e-3)", "test_fine_tuning",
             "keeps the head's learning rate"),
    AuditRow(_F, "FINE_TUNE_LEARNING_RATE = 1e-4 (not 1e-3)", "test_fine_tuning",
             "fine-tunes with Adam(1e-3)"),
    AuditRow(_F, "FINE_TUNE_EPOCHS = 20 (read-only cell, checked by the fit record)",
             "test_fine_tuning", "fine-tunes for 40 epochs"),
    AuditRow(_F, "batch size HEAD_BATCH_SIZE = 25 (optimizer steps <= 20)", "test_fine_tuning",
             "fine-tunes in batches of 5"),
    AuditRow(_F, "training data x_few only (not x_target_val)", "test_fine_tuning",
             "also fine-tunes on the validation digits x_target_val"),
]
