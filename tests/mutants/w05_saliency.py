"""Plausible wrong answers, alternative correct answers and the parameter audit for week 05
(what does the CNN look at?)."""

from mutants import Alternative, AuditRow, Mutant

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
            occluded[r * cols + c, top : top + patch, left : left + patch, CHANNELS] FILL
    original = float(model(image[np.newaxis], training=False)[0, CLASS])
    scores = np.concatenate([
        np.asarray(model(occluded[i : i + BATCH], training=False))[:, CLASS]
        for i in range(0, len(occluded), BATCH)
    ])
    return RESULT.reshape(rows, cols)
'''


def _occlusion(
    rows: str = "(height - patch) // stride + 1",
    cols: str = "(width - patch) // stride + 1",
    channels: str = ":",
    result: str = "(original - scores)",
    fill: str = "= fill",
    batch: str = "batch_size",
    klass: str = "class_index",
    before: str = "",
) -> str:
    return (
        _OCCLUSION.replace("FILL", fill)
        .replace("BATCH", batch)
        .replace("CLASS", klass)
        .replace("    original = ", before + "    original = ")
        .replace("ROWS", rows)
        .replace("COLS", cols)
        .replace("CHANNELS", channels)
        .replace("RESULT", result)
    )


_LIME = '''
def lime_weights(model, image, class_index, segments, n_samples=200, fill=0.0,
                 kernel_width=0.25, seed=0, batch_size=64):
    image = np.asarray(image, dtype="float32")
    n = int(segments.max()) + 1
    masks = np.random.default_rng(SEED).integers(0, 2, size=(SAMPLES, n))
    FIRST
    keep = (masks[:, segments] == KEPT)[..., np.newaxis]
    outputs = []
    for i in range(0, len(masks), BATCH):
        perturbed = PERTURBED
        scores = np.asarray(model(perturbed, training=False))
        outputs.append(scores[:, CLASS])
    outputs = np.concatenate(outputs)
    distance = 1.0 - np.sqrt(masks.sum(axis=1) / n)
    weights = np.exp(-(distance**2) / KERNEL)
    return Ridge(alpha=1.0).fit(masks, outputs, sample_weight=WEIGHTS).coef_
'''


def _lime(
    kept: str = "1",
    klass: str = "class_index",
    weights: str = "weights",
    seed: str = "seed",
    samples: str = "n_samples",
    first: str = "masks[0] = 1",
    batch: str = "batch_size",
    perturbed: str = "np.where(keep[i : i + BATCH], image, np.float32(fill))",
    kernel: str = "kernel_width**2",
) -> str:
    return (
        _LIME.replace("PERTURBED", perturbed)
        .replace("KEPT", kept)
        .replace("CLASS", klass)
        .replace("WEIGHTS", weights)
        .replace("SEED", seed)
        .replace("SAMPLES", samples)
        .replace("FIRST", first)
        .replace("BATCH", batch)
        .replace("KERNEL", kernel)
    )


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
    Mutant(
        "hard-codes the 28 x 28 MNIST size",
        "saliency",
        _SALIENCY_HEAD + "    return np.max(np.abs(gradient), axis=-1).reshape(28, -1)[:28, :28]\n",
        fails=("test_saliency",),
    ),
    Mutant(
        "multiplies the patch by fill instead of setting it",
        "occlusion",
        _occlusion(fill="*= fill"),
        fails=("test_occlusion",),
    ),
    Mutant(
        "ignores fill (always covers with 0)",
        "occlusion",
        _occlusion(fill="= 0.0"),
        fails=("test_occlusion",),
    ),
    Mutant(
        "calls the model on all positions at once",
        "occlusion",
        _occlusion(batch="len(occluded)"),
        fails=("test_occlusion",),
    ),
    Mutant(
        "explains the predicted class instead of class_index",
        "occlusion",
        _occlusion(
            klass="predicted",
            before="    predicted = int(np.argmax(model(image[np.newaxis], training=False)[0]))\n",
        ),
        fails=("test_occlusion",),
    ),
    Mutant(
        "ignores seed (always default_rng(0))",
        "lime",
        _lime(seed="0"),
        fails=("test_lime",),
    ),
    Mutant(
        "always draws 200 samples",
        "lime",
        _lime(samples="200"),
        fails=("test_lime",),
    ),
    Mutant(
        "forgets to keep the original image as the first sample",
        "lime",
        _lime(first="pass"),
        fails=("test_lime",),
    ),
    Mutant(
        "multiplies the hidden pixels by fill",
        "lime",
        _lime(perturbed="np.where(keep[i : i + BATCH], image, image * np.float32(fill))"),
        fails=("test_lime",),
    ),
    Mutant(
        "divides by kernel_width instead of its square",
        "lime",
        _lime(kernel="kernel_width"),
        fails=("test_lime",),
    ),
    Mutant(
        "calls the model on all samples at once",
        "lime",
        _lime(batch="len(masks)"),
        fails=("test_lime",),
    ),
    Mutant(
        "uses the last convolution instead of layer_name",
        "grad_cam",
        """
def grad_cam(model, image, class_index, layer_name):
    last = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)][-1]
    grad_model = keras.Model(model.inputs, [last.output, model.output])
    x = tf.convert_to_tensor(np.asarray(image, dtype="float32")[np.newaxis])
    with tf.GradientTape() as tape:
        maps, scores = grad_model(x, training=False)
        score = scores[0, class_index]
    gradient = tape.gradient(score, maps)[0]
    alphas = tf.reduce_mean(gradient, axis=(0, 1))
    return tf.nn.relu(tf.reduce_sum(maps[0] * alphas, axis=-1)).numpy()
""",
        fails=("test_grad_cam",),
    ),
    Mutant(
        "explains the predicted class instead of class_index",
        "grad_cam",
        _GRAD_CAM_HEAD.replace("score = scores[0, class_index]", "score = tf.reduce_max(scores[0])")
        + "    alphas = tf.reduce_mean(gradient, axis=(0, 1))\n"
        + "    return tf.nn.relu(tf.reduce_sum(maps[0] * alphas, axis=-1)).numpy()\n",
        fails=("test_grad_cam",),
    ),
]

ALTERNATIVES = [
    Alternative(
        "a tf.Variable and TensorFlow reductions",
        "saliency",
        '''
def saliency_map(model, image, class_index):
    x = tf.Variable(tf.expand_dims(tf.cast(image, tf.float32), 0))
    with tf.GradientTape() as tape:
        scores = model(x)
        score = tf.gather(scores[0], class_index)
    return tf.reduce_max(tf.abs(tape.gradient(score, x)[0]), axis=-1).numpy()
''',
        group=1,
    ),
    Alternative(
        "a watched constant, the gradient of the score row times a one-hot vector",
        "saliency",
        '''
def saliency_map(model, image, class_index):
    batch = tf.constant(np.expand_dims(np.float32(image), axis=0))
    with tf.GradientTape() as tape:
        tape.watch(batch)
        scores = model(batch, training=False)
        one_hot = tf.one_hot(class_index, scores.shape[-1])
        score = tf.reduce_sum(scores * one_hot)
    grads = np.array(tape.gradient(score, batch))[0]
    return np.abs(grads).max(axis=2)
''',
        group=2,
    ),
    Alternative(
        "np.where masks and model.predict with batch_size",
        "occlusion",
        '''
def occlusion_map(model, image, class_index, patch, stride, fill=0.0, batch_size=64):
    image = np.array(image, dtype=np.float32)
    h, w = image.shape[0], image.shape[1]
    tops = range(0, h - patch + 1, stride)
    lefts = range(0, w - patch + 1, stride)
    batch = []
    for top in tops:
        for left in lefts:
            mask = np.zeros((h, w, 1), dtype=bool)
            mask[top : top + patch, left : left + patch] = True
            batch.append(np.where(mask, np.float32(fill), image))
    covered = model.predict(np.stack(batch), batch_size=batch_size, verbose=0)[:, class_index]
    base = model.predict(image[None], verbose=0)[0, class_index]
    return (base - covered).reshape(len(tops), len(lefts))
''',
        group=1,
    ),
    Alternative(
        "batches filled one position at a time",
        "occlusion",
        '''
def occlusion_map(model, image, class_index, patch, stride, fill=0.0, batch_size=64):
    image = np.asarray(image, "float32")
    n_rows = 1 + (image.shape[0] - patch) // stride
    n_cols = 1 + (image.shape[1] - patch) // stride
    reference = np.asarray(model(image[None]))[0, class_index]
    drops, pending = [], []

    def flush():
        if pending:
            outputs = np.asarray(model(np.stack(pending), training=False))
            drops.extend(reference - outputs[:, class_index])
            pending.clear()

    for index in range(n_rows * n_cols):
        r, c = divmod(index, n_cols)
        covered = image.copy()
        covered[r * stride : r * stride + patch, c * stride : c * stride + patch] = fill
        pending.append(covered)
        if len(pending) == batch_size:
            flush()
    flush()
    return np.array(drops).reshape(n_rows, n_cols)
''',
        group=2,
    ),
    Alternative(
        "arithmetic masks, model.predict, sklearn's cosine distance",
        "lime",
        '''
from sklearn.metrics.pairwise import cosine_distances


def lime_weights(model, image, class_index, segments, n_samples=200, fill=0.0,
                 kernel_width=0.25, seed=0, batch_size=64):
    image = np.asarray(image, np.float32)
    n = segments.max() + 1
    masks = np.random.default_rng(seed).integers(0, 2, size=(n_samples, n))
    masks[0] = 1
    keep = masks[:, segments][..., None].astype(np.float32)
    images = keep * image + (1.0 - keep) * np.float32(fill)
    f = model.predict(images, batch_size=batch_size, verbose=0)[:, class_index]
    d = cosine_distances(masks, np.ones((1, n)))[:, 0]
    pi = np.exp(-d**2 / kernel_width**2)
    return Ridge(alpha=1.0).fit(masks, f, sample_weight=pi).coef_
''',
        group=1,
    ),
    Alternative(
        "one perturbed image at a time, batched by hand",
        "lime",
        '''
def lime_weights(model, image, class_index, segments, n_samples=200, fill=0.0,
                 kernel_width=0.25, seed=0, batch_size=64):
    rng = np.random.default_rng(seed)
    n_segments = int(np.max(segments)) + 1
    masks = rng.integers(0, 2, size=(n_samples, n_segments))
    masks[0, :] = 1
    outputs = np.zeros(n_samples)
    for start in range(0, n_samples, batch_size):
        chunk = []
        for mask in masks[start : start + batch_size]:
            perturbed = np.array(image, dtype="float32")
            perturbed[mask[segments] == 0] = fill
            chunk.append(perturbed)
        outputs[start : start + len(chunk)] = np.asarray(model(np.stack(chunk)))[:, class_index]
    kept = masks.sum(axis=1)
    distance = 1 - kept / (np.sqrt(kept) * np.sqrt(n_segments) + 1e-300)
    distance[kept == 0] = 1.0
    model_weights = np.exp(-np.square(distance) / np.square(kernel_width))
    ridge = Ridge(alpha=1.0)
    ridge.fit(masks, outputs, sample_weight=model_weights)
    return ridge.coef_
''',
        group=2,
    ),
    Alternative(
        "model.input, NumPy after the tape",
        "grad_cam",
        '''
def grad_cam(model, image, class_index, layer_name):
    layer = model.get_layer(layer_name)
    both = keras.Model(inputs=model.input, outputs=[layer.output, model.output])
    x = tf.constant(np.float32(image)[None])
    with tf.GradientTape() as tape:
        maps, scores = both(x)
        score = scores[:, class_index]
    grads = tape.gradient(score, maps).numpy()[0]
    maps = maps.numpy()[0]
    weights = grads.mean(axis=(0, 1))
    return np.maximum(np.tensordot(maps, weights, axes=([2], [0])), 0)
''',
        group=1,
    ),
    Alternative(
        "watched maps through einsum and clip",
        "grad_cam",
        '''
def grad_cam(model, image, class_index, layer_name):
    grad_model = keras.Model(model.inputs, [model.get_layer(layer_name).output, model.outputs[0]])
    with tf.GradientTape() as tape:
        maps, scores = grad_model(np.asarray(image, "float32")[np.newaxis], training=False)
        tape.watch(maps)
        score = scores[0][class_index]
    gradient = tape.gradient(score, maps)
    alpha = np.asarray(tf.reduce_mean(gradient, axis=[1, 2]))[0]
    cam = np.einsum("hwk,k->hw", np.asarray(maps)[0], alpha)
    return np.clip(cam, 0, None)
''',
        group=2,
    ),
]

AUDIT = [
    AuditRow("saliency", "class_index (every class, not the predicted one)", "test_saliency",
             "explains the predicted class instead of class_index"),
    AuditRow("saliency", "absolute value of the gradient", "test_saliency",
             "keeps the sign of the gradient"),
    AuditRow("saliency", "maximum over the channels (RGB)", "test_saliency",
             "averages the channels instead of taking their maximum"),
    AuditRow("saliency", "image size H x W (8 x 6, 5 x 5, not only 28 x 28)", "test_saliency",
             "hard-codes the 28 x 28 MNIST size"),
    AuditRow("occlusion", "patch and stride: (H - p) // s + 1 positions (5 sizes, H != W)",
             "test_occlusion", "forgets the + 1 in the number of positions"),
    AuditRow("occlusion", "the drop y(image) - y(occluded)", "test_occlusion",
             "returns the occluded probability instead of the drop"),
    AuditRow("occlusion", "all channels covered", "test_occlusion",
             "covers only the first colour channel"),
    AuditRow("occlusion", "fill (0.3 on a random image: set, not multiplied)", "test_occlusion",
             "multiplies the patch by fill instead of setting it"),
    AuditRow("occlusion", "fill (1.0 on an image of ones)", "test_occlusion",
             "ignores fill (always covers with 0)"),
    AuditRow("occlusion", "batch_size (a model that takes at most 4 images per call)",
             "test_occlusion", "calls the model on all positions at once"),
    AuditRow("occlusion", "class_index (class 0 and 2, not the predicted class)", "test_occlusion",
             "explains the predicted class instead of class_index"),
    AuditRow("lime", "kept superpixels are 1 in the mask", "test_lime",
             "hides the superpixels whose mask is 1"),
    AuditRow("lime", "proximity weights as sample_weight", "test_lime",
             "fits without the proximity weights"),
    AuditRow("lime", "class_index", "test_lime",
             "explains the predicted class instead of class_index"),
    AuditRow("lime", "seed (3, 5, 11; against the recipe computed in the test)", "test_lime",
             "ignores seed (always default_rng(0))"),
    AuditRow("lime", "n_samples (30, 40, 120)", "test_lime", "always draws 200 samples"),
    AuditRow("lime", "masks[0] = 1 (the original image is a sample)", "test_lime",
             "forgets to keep the original image as the first sample"),
    AuditRow("lime", "fill (0.25, 0.5, 0.7 on non-constant images)", "test_lime",
             "multiplies the hidden pixels by fill"),
    AuditRow("lime", "kernel_width (0.005, 0.3, 0.4): exp(-d**2 / kernel_width**2)", "test_lime",
             "divides by kernel_width instead of its square"),
    AuditRow("lime", "batch_size (a model that takes at most 16 images per call)", "test_lime",
             "calls the model on all samples at once"),
    AuditRow("grad_cam", "ReLU of the weighted sum", "test_grad_cam", "forgets the ReLU"),
    AuditRow("grad_cam", "alpha_k: mean of the gradient over the positions", "test_grad_cam",
             "takes the maximum of the gradient instead of its mean"),
    AuditRow("grad_cam", "one weight per map (not per position)", "test_grad_cam",
             "weights every position by its own gradient"),
    AuditRow("grad_cam", "layer_name (a layer that is not the last convolution)", "test_grad_cam",
             "uses the last convolution instead of layer_name"),
    AuditRow("grad_cam", "class_index (every class)", "test_grad_cam",
             "explains the predicted class instead of class_index"),
]
