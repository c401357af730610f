"""Plausible wrong answers, alternative correct answers and the parameter audit for week 02
(convolution by hand)."""

from mutants import Alternative, AuditRow, Mutant

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
        group=1,
    ),
]

_POOL = '''
def max_pool2d(x, size=2):
    x = np.asarray(x, dtype=float)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))
'''

_RELU = '''
def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)
'''

_CONV = '''
def conv2d(image, kernels, bias, stride=1, padding=0):
    image = np.pad(np.asarray(image, float), ((padding, padding), (padding, padding), (0, 0)))
    kernels = np.asarray(kernels, float)
    f_h, f_w, _, k = kernels.shape
    out_h = (image.shape[0] - f_h) // stride + 1
    out_w = (image.shape[1] - f_w) // stride + 1
    out = np.zeros((out_h, out_w, k))
    for i in range(out_h):
        for j in range(out_w):
            patch = image[i * stride : i * stride + f_h, j * stride : j * stride + f_w]
            out[i, j] = np.tensordot(patch, kernels, axes=3) + bias
    return out
'''

_SIZES = '''
def conv_output_size(n, f, padding, stride):
    span = n - f + 2 * padding
    if span % stride:
        raise ValueError("not whole")
    return span // stride + 1


def conv_param_count(f, d_in, k):
    return f * f * d_in * k + k
'''

MUTANTS += [
    Mutant(
        "assumes a square kernel",
        "conv2d_valid",
        '''
def conv2d_valid(image, kernel):
    image = np.asarray(image, dtype=float)
    f = np.shape(kernel)[0]
    out = np.zeros((image.shape[0] - f + 1, image.shape[1] - f + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + f, j : j + f] * np.asarray(kernel)[:f, :f])
    return out
''',
        fails=("test_conv2d_valid",),
    ),
    Mutant(
        "relu in place (x[x < 0] = 0)",
        "pooling",
        '''
def relu(x):
    x = np.asarray(x, dtype=float)
    x[x < 0] = 0.0
    return x
'''
        + _POOL,
        fails=("test_pooling",),
    ),
    Mutant(
        "always 2x2 windows (ignores size)",
        "pooling",
        _RELU
        + '''
def max_pool2d(x, size=2):
    x = np.asarray(x, dtype=float)
    h, w = x.shape[0] // 2, x.shape[1] // 2
    return x[: h * 2, : w * 2].reshape(h, 2, w, 2).max(axis=(1, 3))
''',
        fails=("test_pooling",),
    ),
    Mutant(
        "keeps the partial windows at the edges",
        "pooling",
        _RELU
        + '''
def max_pool2d(x, size=2):
    x = np.asarray(x, dtype=float)
    h, w = -(-x.shape[0] // size), -(-x.shape[1] // size)
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = x[i * size : (i + 1) * size, j * size : (j + 1) * size].max()
    return out
''',
        fails=("test_pooling",),
    ),
    Mutant(
        "overlapping windows (stride 1)",
        "pooling",
        _RELU
        + '''
def max_pool2d(x, size=2):
    x = np.asarray(x, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size))
    return windows.max(axis=(2, 3))
''',
        fails=("test_pooling",),
    ),
    Mutant(
        "slide_layout ignores its argument",
        "slide_slips",
        '''
def slide_layout(m):
    return TRUE_MAP.T


slide_pixel = LECTURE_IMAGE[5, 5] + (37.5 - TRUE_MAP[3, 3]) / LECTURE_FILTER[2, 2]
''',
        fails=("test_slide_slips",),
    ),
    Mutant(
        "ignores the padding",
        "conv2d_multi",
        _CONV.replace(
            "image = np.pad(np.asarray(image, float), ((padding, padding), (padding, padding), "
            "(0, 0)))",
            "image = np.asarray(image, float)",
        ),
        fails=("test_conv2d_multi",),
    ),
    Mutant(
        "uses the kernel height for both sides",
        "conv2d_multi",
        _CONV.replace(
            "f_h, f_w, _, k = kernels.shape", "f_h, _, _, k = kernels.shape\n    f_w = f_h"
        ),
        fails=("test_conv2d_multi",),
    ),
    Mutant(
        "uses only the first channel",
        "conv2d_multi",
        _CONV.replace(
            "out[i, j] = np.tensordot(patch, kernels, axes=3) + bias",
            "out[i, j] = np.tensordot(patch[:, :, :1], kernels[:, :, :1], axes=3) + bias",
        ),
        fails=("test_conv2d_multi",),
    ),
    Mutant(
        "adds the summed bias to every filter",
        "conv2d_multi",
        _CONV.replace("axes=3) + bias", "axes=3) + np.sum(bias)"),
        fails=("test_conv2d_multi",),
    ),
    Mutant(
        "checks divisibility without the padding",
        "sizes",
        _SIZES.replace("if span % stride:", "if (n - f) % stride:"),
        fails=("test_sizes",),
    ),
    Mutant(
        "counts the padding once",
        "sizes",
        _SIZES.replace("span = n - f + 2 * padding", "span = n - f + padding"),
        fails=("test_sizes",),
    ),
    Mutant(
        "counts the biases per input channel",
        "sizes",
        _SIZES.replace("return f * f * d_in * k + k", "return f * f * d_in * k + d_in"),
        fails=("test_sizes",),
    ),
    Mutant(
        "ignores kernel_size (always 3x3)",
        "receptive_field",
        '''
def receptive_field(n_layers, kernel_size=3):
    return 1 + 2 * n_layers


def stacked_weights(n_layers, kernel_size=3):
    return n_layers * 9
''',
        fails=("test_receptive_field",),
    ),
    Mutant(
        "stacked_weights counts one layer",
        "receptive_field",
        '''
def receptive_field(n_layers, kernel_size=3):
    return 1 + n_layers * (kernel_size - 1)


def stacked_weights(n_layers, kernel_size=3):
    return kernel_size * kernel_size
''',
        fails=("test_receptive_field",),
    ),
]

ALTERNATIVES += [
    Alternative(
        "a loop over the kernel's weights, shifted slices",
        "conv2d_valid",
        '''
def conv2d_valid(image, kernel):
    img = np.array(image, dtype=np.float64)
    ker = np.array(kernel, dtype=np.float64)
    rows = img.shape[0] - ker.shape[0] + 1
    cols = img.shape[1] - ker.shape[1] + 1
    total = np.zeros((rows, cols))
    for u, v in np.ndindex(ker.shape):
        total += ker[u, v] * img[u : u + rows, v : v + cols]
    return total
''',
        group=2,
    ),
    Alternative(
        "np.where and loops over the windows",
        "pooling",
        '''
def relu(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, 0.0)


def max_pool2d(x, size=2):
    x = np.asarray(x)
    rows, cols = x.shape[0] // size, x.shape[1] // size
    return np.array(
        [[x[r * size : (r + 1) * size, c * size : (c + 1) * size].max() for c in range(cols)]
         for r in range(rows)],
        dtype=float,
    ).reshape(rows, cols)
''',
        group=1,
    ),
    Alternative(
        "x * (x > 0), sliding windows taken every size-th position",
        "pooling",
        '''
def relu(x):
    x = np.array(x, dtype=float, copy=True)
    return x * (x > 0)


def max_pool2d(x, size=2):
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(x, float), (size, size))
    return windows[::size, ::size].max(axis=(-2, -1))
''',
        group=2,
    ),
    Alternative(
        "np.transpose, pixel from the last index",
        "slide_slips",
        '''
def slide_layout(m):
    return np.transpose(m)


weight = LECTURE_FILTER[-1, -1]
slide_pixel = LECTURE_IMAGE[-1, -1] + (37.5 - TRUE_MAP[-1, -1]) / weight
''',
        group=1,
    ),
    Alternative(
        "rows built from columns, pixel from a fresh convolution",
        "slide_slips",
        '''
def slide_layout(m):
    m = np.asarray(m)
    return np.array([m[:, j] for j in range(m.shape[1])])


last = conv2d_valid(LECTURE_IMAGE, LECTURE_FILTER)[-1, -1]
slide_pixel = float(LECTURE_IMAGE[-1, -1] + (37.5 - last) / LECTURE_FILTER[2, 2])
''',
        group=2,
    ),
    Alternative(
        "conv2d_valid per channel and filter, then every stride-th value",
        "conv2d_multi",
        '''
def conv2d(image, kernels, bias, stride=1, padding=0):
    image = np.asarray(image, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    p = padding
    padded = np.pad(image, [(p, p), (p, p), (0, 0)], mode="constant")
    maps = []
    for k in range(kernels.shape[3]):
        total = sum(
            conv2d_valid(padded[:, :, c], kernels[:, :, c, k]) for c in range(image.shape[2])
        )
        maps.append(total[::stride, ::stride] + bias[k])
    return np.stack(maps, axis=-1)
''',
        group=1,
    ),
    Alternative(
        "sliding windows and einsum over the padded image",
        "conv2d_multi",
        '''
def conv2d(image, kernels, bias, stride=1, padding=0):
    x = np.asarray(image, dtype=float)
    w = np.asarray(kernels, dtype=float)
    if padding > 0:
        x = np.pad(x, ((padding,) * 2, (padding,) * 2, (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[:2], axis=(0, 1))
    windows = windows[::stride, ::stride]  # (H_out, W_out, C_in, F_h, F_w)
    return np.einsum("ijcuv,uvck->ijk", windows, w) + np.asarray(bias, dtype=float)
''',
        group=2,
    ),
    Alternative(
        "divmod",
        "sizes",
        '''
def conv_output_size(n, f, padding, stride):
    steps, rest = divmod(n + 2 * padding - f, stride)
    if rest != 0:
        raise ValueError(f"the filter does not tile the padded input: remainder {rest}")
    return int(steps) + 1


def conv_param_count(f, d_in, k):
    return (f * f * d_in + 1) * k
''',
        group=1,
    ),
    Alternative(
        "float division and is_integer",
        "sizes",
        '''
def conv_output_size(n, f, padding, stride):
    size = (n - f + 2 * padding) / stride + 1
    if not float(size).is_integer():
        raise ValueError(f"output size {size} is not a whole number")
    return int(size)


def conv_param_count(f, d_in, k):
    weights = f**2 * d_in * k
    biases = k
    return weights + biases
''',
        group=2,
    ),
    Alternative(
        "a loop over the layers",
        "receptive_field",
        '''
def receptive_field(n_layers, kernel_size=3):
    side = 1
    for _ in range(n_layers):
        side += kernel_size - 1
    return side


def stacked_weights(n_layers, kernel_size=3):
    return sum(kernel_size**2 for _ in range(n_layers))
''',
        group=1,
    ),
    Alternative(
        "recursion",
        "receptive_field",
        '''
def receptive_field(n_layers, kernel_size=3):
    if n_layers == 0:
        return 1
    return receptive_field(n_layers - 1, kernel_size) + kernel_size - 1


def stacked_weights(n_layers, kernel_size=3):
    per_layer = kernel_size * kernel_size  # one input and one output channel, no bias
    return per_layer * n_layers
''',
        group=2,
    ),
]

AUDIT = [
    AuditRow("conv2d_valid", "no kernel flip (cross-correlation)", "test_conv2d_valid",
             "flips the kernel (true convolution)"),
    AuditRow("conv2d_valid", "output (N_h - F_h + 1, N_w - F_w + 1)", "test_conv2d_valid",
             "output one row and column too small"),
    AuditRow("conv2d_valid", "non-square image and kernel (tried (9, 5) with (2, 4))",
             "test_conv2d_valid", "assumes a square kernel"),
    AuditRow("pooling", "relu: max(0, x), any shape", "test_pooling", "relu as absolute value"),
    AuditRow("pooling", "relu leaves its input unchanged (TRUE_MAP is used again)",
             "test_pooling", "relu in place (x[x < 0] = 0)"),
    AuditRow("pooling", "max (not mean) of each window", "test_pooling",
             "average pooling instead of max pooling"),
    AuditRow("pooling", "size (tried 1, 2, 3, 4)", "test_pooling",
             "always 2x2 windows (ignores size)"),
    AuditRow("pooling", "stride = size (non-overlapping windows)", "test_pooling",
             "overlapping windows (stride 1)"),
    AuditRow("pooling", "partial windows at the edges dropped (tried (7, 5), (8, 11), (5, 4))",
             "test_pooling", "keeps the partial windows at the edges"),
    AuditRow("slide_slips", "slide_layout: the transpose", "test_slide_slips",
             "keeps the true layout"),
    AuditRow("slide_slips", "slide_layout's argument m (tried a 3x5 map)", "test_slide_slips",
             "slide_layout ignores its argument"),
    AuditRow("slide_slips", "slide_pixel from LECTURE_FILTER[2, 2]", "test_slide_slips",
             "uses the wrong filter weight for the pixel"),
    AuditRow("conv2d_multi", "bias (K,), one per filter", "test_conv2d_multi",
             "adds the summed bias to every filter"),
    AuditRow("conv2d_multi", "bias added once", "test_conv2d_multi", "forgets the bias"),
    AuditRow("conv2d_multi", "stride (tried 1, 2, 3)", "test_conv2d_multi", "ignores the stride"),
    AuditRow("conv2d_multi", "padding (tried 0, 1, 2)", "test_conv2d_multi",
             "ignores the padding"),
    AuditRow("conv2d_multi", "kernel shape F_h x F_w (tried 2x4 and 3x1)", "test_conv2d_multi",
             "uses the kernel height for both sides"),
    AuditRow("conv2d_multi", "channels C_in summed (tried 1-4)", "test_conv2d_multi",
             "uses only the first channel"),
    AuditRow("sizes", "conv_output_size: the + 1", "test_sizes",
             "forgets the + 1 and the bias count"),
    AuditRow("sizes", "conv_output_size: padding on both sides", "test_sizes",
             "counts the padding once"),
    AuditRow("sizes", "ValueError when (N - F + 2P) / S is not whole", "test_sizes",
             "never raises for a fractional size"),
    AuditRow("sizes", "the divisibility check includes the padding (tried (9, 3, 1, 3))",
             "test_sizes", "checks divisibility without the padding"),
    AuditRow("sizes", "conv_param_count: k biases (tried d_in != k)", "test_sizes",
             "counts the biases per input channel"),
    AuditRow("receptive_field", "receptive_field: 1 + n (k - 1)", "test_receptive_field",
             "adds kernel sizes instead of (k - 1)"),
    AuditRow("receptive_field", "kernel_size (tried 3, 5, 7)", "test_receptive_field",
             "ignores kernel_size (always 3x3)"),
    AuditRow("receptive_field", "stacked_weights: n_layers", "test_receptive_field",
             "stacked_weights counts one layer"),
]

# A correct answer whose function writes to stderr when the test cell calls it (a warning):
# nbgrader alone scores a graded cell with stderr output 0; the course's StderrIsNotFailure
# preprocessor keeps the text but grades by the assertions (group 3: its own submission).
ALTERNATIVES.append(
    Alternative(
        "correct, but warns on stderr when called",
        "sizes",
        '''
import sys
import warnings


def conv_output_size(n, f, padding, stride):
    warnings.warn("conv_output_size: remember that the stride must divide N - F + 2P")
    span = n - f + 2 * padding
    if span < 0 or span % stride != 0:
        raise ValueError(f"(N - F + 2P) / S = {span}/{stride} is not a whole number")
    return span // stride + 1


def conv_param_count(f, d_in, k):
    print(f"debug: {f}x{f}x{d_in} filters, {k} of them", file=sys.stderr)
    return (f * f * d_in + 1) * k
''',
        group=3,
    )
)
