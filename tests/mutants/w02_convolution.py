"""Plausible wrong answers for week 02 (convolution by hand)."""

from mutants import Alternative, Mutant

MUTANTS = [
    Mutant(
        "flips the kernel (true convolution)",
        "conv2d_valid",
        '''
def conv2d_valid(image, kernel):
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]
    f_h, f_w = kernel.shape
    out = np.zeros((image.shape[0] - f_h + 1, image.shape[1] - f_w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + f_h, j : j + f_w] * kernel)
    return out
''',
        fails=("test_conv2d_valid",),
        full=True,
    ),
    Mutant(
        "output one row and column too small",
        "conv2d_valid",
        '''
def conv2d_valid(image, kernel):
    image = np.asarray(image, dtype=float)
    f_h, f_w = np.shape(kernel)
    out = np.zeros((image.shape[0] - f_h, image.shape[1] - f_w))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + f_h, j : j + f_w] * kernel)
    return out
''',
        fails=("test_conv2d_valid",),
    ),
    Mutant(
        "average pooling instead of max pooling",
        "pooling",
        '''
def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def max_pool2d(x, size=2):
    x = np.asarray(x, dtype=float)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).mean(axis=(1, 3))
''',
        fails=("test_pooling",),
    ),
    Mutant(
        "relu as absolute value",
        "pooling",
        '''
def relu(x):
    return np.abs(np.asarray(x, dtype=float))


def max_pool2d(x, size=2):
    x = np.asarray(x, dtype=float)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))
''',
        fails=("test_pooling",),
    ),
    Mutant(
        "keeps the true layout",
        "slide_slips",
        '''
def slide_layout(m):
    return np.asarray(m)


slide_pixel = 175
''',
        fails=("test_slide_slips",),
        full=True,
    ),
    Mutant(
        "uses the wrong filter weight for the pixel",
        "slide_slips",
        '''
def slide_layout(m):
    return np.asarray(m).T


slide_pixel = LECTURE_IMAGE[5, 5] + (37.5 - TRUE_MAP[3, 3]) / LECTURE_FILTER[0, 0]
''',
        fails=("test_slide_slips",),
    ),
    Mutant(
        "forgets the bias",
        "conv2d_multi",
        '''
def conv2d(image, kernels, bias, stride=1, padding=0):
    image = np.pad(np.asarray(image, float), ((padding, padding), (padding, padding), (0, 0)))
    f_h, f_w, _, k = np.shape(kernels)
    out_h = (image.shape[0] - f_h) // stride + 1
    out_w = (image.shape[1] - f_w) // stride + 1
    out = np.zeros((out_h, out_w, k))
    for i in range(out_h):
        for j in range(out_w):
            patch = image[i * stride : i * stride + f_h, j * stride : j * stride + f_w]
            out[i, j] = np.tensordot(patch, kernels, axes=3)
    return out
''',
        fails=("test_conv2d_multi",),
    ),
    Mutant(
        "ignores the stride",
        "conv2d_multi",
        '''
def conv2d(image, kernels, bias, stride=1, padding=0):
    image = np.pad(np.asarray(image, float), ((padding, padding), (padding, padding), (0, 0)))
    f_h, f_w, _, k = np.shape(kernels)
    out = np.zeros((image.shape[0] - f_h + 1, image.shape[1] - f_w + 1, k))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.tensordot(image[i : i + f_h, j : j + f_w], kernels, axes=3) + bias
    return out
''',
        fails=("test_conv2d_multi",),
    ),
    Mutant(
        "forgets the + 1 and the bias count",
        "sizes",
        '''
def conv_output_size(n, f, padding, stride):
    return (n - f + 2 * padding) // stride


def conv_param_count(f, d_in, k):
    return f * f * d_in * k
''',
        fails=("test_sizes",),
        full=True,
    ),
    Mutant(
        "never raises for a fractional size",
        "sizes",
        '''
def conv_output_size(n, f, padding, stride):
    return (n - f + 2 * padding) // stride + 1


def conv_param_count(f, d_in, k):
    return f * f * d_in * k + k
''',
        fails=("test_sizes",),
    ),
    Mutant(
        "adds kernel sizes instead of (k - 1)",
        "receptive_field",
        '''
def receptive_field(n_layers, kernel_size=3):
    return n_layers * kernel_size


def stacked_weights(n_layers, kernel_size=3):
    return n_layers * kernel_size * kernel_size
''',
        fails=("test_receptive_field",),
    ),
]

ALTERNATIVES = [
    Alternative(
        "sliding windows and einsum",
        "conv2d_valid",
        '''
def conv2d_valid(image, kernel):
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(image, float), np.shape(kernel))
    return np.einsum("ijkl,kl->ij", windows, np.asarray(kernel, float))
''',
    ),
]
