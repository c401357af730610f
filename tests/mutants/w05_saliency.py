"""Plausible wrong answers for week 05 (what does the CNN look at?)."""

from mutants import Mutant

_SALIENCY_HEAD = '''
def saliency_map(model, image, class_index):
    x = tf.convert_to_tensor(np.asarray(image, dtype="float32")[np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = model(x, training=False)[0, class_index]
    gradient = tape.gradient(score, x)[0].numpy()
'''

_GRAD_CAM_HEAD = '''
def grad_cam(model, image, class_index, layer_name):
    grad_model = keras.Model(model.inputs, [model.get_layer(layer_name).output, model.output])
    x = tf.convert_to_tensor(np.asarray(image, dtype="float32")[np.newaxis])
    with tf.GradientTape() as tape:
        maps, scores = grad_model(x, training=False)
        score = scores[0, class_index]
    gradient = tape.gradient(score, maps)[0]
'''

_OCCLUSION = '''
def occlusion_map(model, image, class_index, patch, stride, fill=0.0, batch_size=64):
    image = np.asarray(image, dtype="float32")
    height, width = image.shape[:2]
    rows = ROWS
    cols = COLS
    occluded = np.repeat(image[np.newaxis], rows * cols, axis=0)
    for r in range(rows):
        for c in range(cols):
            top, left = r * stride, c * stride
            occluded[r * cols + c, top : top + patch, left : left + patch, CHANNELS] = fill
    original = float(model(image[np.newaxis], training=False)[0, class_index])
    scores = np.concatenate([
        np.asarray(model(occluded[i : i + batch_size], training=False))[:, class_index]
        for i in range(0, len(occluded), batch_size)
    ])
    return RESULT.reshape(rows, cols)
'''


def _occlusion(
    rows: str = "(height - patch) // stride + 1",
    cols: str = "(width - patch) // stride + 1",
    channels: str = ":",
    result: str = "(original - scores)",
) -> str:
    return (
        _OCCLUSION.replace("ROWS", rows)
        .replace("COLS", cols)
        .replace("CHANNELS", channels)
        .replace("RESULT", result)
    )


_LIME = '''
def lime_weights(model, image, class_index, segments, n_samples=200, fill=0.0,
                 kernel_width=0.25, seed=0, batch_size=64):
    image = np.asarray(image, dtype="float32")
    n = int(segments.max()) + 1
    masks = np.random.default_rng(seed).integers(0, 2, size=(n_samples, n))
    masks[0] = 1
    keep = (masks[:, segments] == KEPT)[..., np.newaxis]
    outputs = []
    for i in range(0, n_samples, batch_size):
        perturbed = np.where(keep[i : i + batch_size], image, np.float32(fill))
        scores = np.asarray(model(perturbed, training=False))
        outputs.append(scores[:, CLASS])
    outputs = np.concatenate(outputs)
    distance = 1.0 - np.sqrt(masks.sum(axis=1) / n)
    weights = np.exp(-(distance**2) / kernel_width**2)
    return Ridge(alpha=1.0).fit(masks, outputs, sample_weight=WEIGHTS).coef_
'''


def _lime(kept: str = "1", klass: str = "class_index", weights: str = "weights") -> str:
    return _LIME.replace("KEPT", kept).replace("CLASS", klass).replace("WEIGHTS", weights)


MUTANTS = [
    Mutant(
        "keeps the sign of the gradient",
        "saliency",
        _SALIENCY_HEAD + "    return np.max(gradient, axis=-1)\n",
        fails=("test_saliency",),
        full=True,
    ),
    Mutant(
        "averages the channels instead of taking their maximum",
        "saliency",
        _SALIENCY_HEAD + "    return np.mean(np.abs(gradient), axis=-1)\n",
        fails=("test_saliency",),
    ),
    Mutant(
        "explains the predicted class instead of class_index",
        "saliency",
        '''
def saliency_map(model, image, class_index):
    x = tf.convert_to_tensor(np.asarray(image, dtype="float32")[np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = model(x, training=False)[0]
        score = tf.reduce_max(scores)
    gradient = tape.gradient(score, x)[0].numpy()
    return np.max(np.abs(gradient), axis=-1)
''',
        fails=("test_saliency",),
    ),
    Mutant(
        "returns the occluded probability instead of the drop",
        "occlusion",
        _occlusion(result="scores"),
        fails=("test_occlusion",),
    ),
    Mutant(
        "forgets the + 1 in the number of positions",
        "occlusion",
        _occlusion(rows="(height - patch) // stride", cols="(width - patch) // stride"),
        fails=("test_occlusion",),
    ),
    Mutant(
        "covers only the first colour channel",
        "occlusion",
        _occlusion(channels="0"),
        fails=("test_occlusion",),
    ),
    Mutant(
        "hides the superpixels whose mask is 1",
        "lime",
        _lime(kept="0"),
        fails=("test_lime",),
        full=True,
    ),
    Mutant(
        "fits without the proximity weights",
        "lime",
        _lime(weights="None"),
        fails=("test_lime",),
    ),
    Mutant(
        "explains the predicted class instead of class_index",
        "lime",
        _lime(klass="predicted").replace(
            "        outputs.append(",
            "        if i == 0:\n            predicted = int(np.argmax(scores[0]))\n"
            "        outputs.append(",
        ),
        fails=("test_lime",),
    ),
    Mutant(
        "forgets the ReLU",
        "grad_cam",
        _GRAD_CAM_HEAD
        + "    alphas = tf.reduce_mean(gradient, axis=(0, 1))\n"
        + "    return tf.reduce_sum(maps[0] * alphas, axis=-1).numpy()\n",
        fails=("test_grad_cam",),
        full=True,
    ),
    Mutant(
        "weights every position by its own gradient",
        "grad_cam",
        _GRAD_CAM_HEAD
        + "    return tf.nn.relu(tf.reduce_sum(maps[0] * gradient, axis=-1)).numpy()\n",
        fails=("test_grad_cam",),
    ),
    Mutant(
        "takes the maximum of the gradient instead of its mean",
        "grad_cam",
        _GRAD_CAM_HEAD
        + "    alphas = tf.reduce_max(gradient, axis=(0, 1))\n"
        + "    return tf.nn.relu(tf.reduce_sum(maps[0] * alphas, axis=-1)).numpy()\n",
        fails=("test_grad_cam",),
    ),
]
