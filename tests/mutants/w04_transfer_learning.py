"""Plausible wrong answers for week 04 (transfer learning).

Each mutant replaces a whole answer cell, so it repeats the cell's constants. None of them
changes the pre-trained weights for good: the exercise-level run goes on with the real answers
after each mutant, in the same kernel.
"""

from mutants import Mutant

_HEAD_CONSTANTS = """
HEAD_EPOCHS = 100
HEAD_BATCH_SIZE = 25
HEAD_LEARNING_RATE = 3e-3
HEAD_L2 = 0.01
"""

_HEAD = (
    _HEAD_CONSTANTS
    + """
inputs = keras.Input(shape=(28, 28, 1))
features = FEATURES
outputs = keras.layers.Dense(
    5, activation="softmax", kernel_regularizer=keras.regularizers.L2(HEAD_L2), name="head"
)(features)
transfer_model = keras.Model(inputs, outputs, name="transfer_model")
transfer_model.compile(
    optimizer=keras.optimizers.Adam(HEAD_LEARNING_RATE),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
transfer_model.fit(x_few, LABELS, epochs=EPOCHS, batch_size=HEAD_BATCH_SIZE, verbose=0)
"""
)


def _head(
    features: str = "feature_extractor(inputs, training=False)",
    labels: str = "y_few",
    epochs: str = "HEAD_EPOCHS",
) -> str:
    return (
        _HEAD.replace("FEATURES", features).replace("LABELS", labels).replace("EPOCHS", epochs)
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

_FINE_TUNING = """
FINE_TUNE_EPOCHS = 20
FINE_TUNE_LEARNING_RATE = 1e-4

feature_extractor.trainable = True
for layer in feature_extractor.layers:
    layer.trainable = TRAINABLE
COMPILE
transfer_model.fit(x_few, y_few, epochs=FINE_TUNE_EPOCHS, batch_size=HEAD_BATCH_SIZE, verbose=0)
"""

_RECOMPILE = """transfer_model.compile(
    optimizer=keras.optimizers.Adam(RATE),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)"""


def _fine_tuning(
    trainable: str = 'layer.name == "conv3"', rate: str | None = "FINE_TUNE_LEARNING_RATE"
) -> str:
    compile_ = "" if rate is None else _RECOMPILE.replace("RATE", rate)
    return _FINE_TUNING.replace("TRAINABLE", trainable).replace("COMPILE", compile_)


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
    ),
    Mutant(
        "puts the head on the old classifier's probabilities",
        "head",
        _head(features="pretrained(inputs, training=False)"),
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
        "unfreezes the whole extractor",
        "fine_tuning",
        _fine_tuning(trainable="True"),
        fails=("test_fine_tuning",),
        full=True,
    ),
    Mutant(
        "keeps the head's learning rate",
        "fine_tuning",
        _fine_tuning(rate="HEAD_LEARNING_RATE"),
        fails=("test_fine_tuning",),
    ),
    Mutant(
        "forgets to compile again",
        "fine_tuning",
        _fine_tuning(rate=None),
        fails=("test_fine_tuning",),
    ),
]
