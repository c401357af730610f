"""Plausible wrong answers, alternative correct answers and the parameter audit for week 03b
(famous CNN architectures: LeNet-5, receptive fields, DepthConcat, inception, residual and
highway blocks, the plain-vs-residual experiment).

Mutants of the training exercise (resnet) train on a few hundred images, or for one epoch, where
the check they are about comes before the accuracy check; the plain network, which must reach
the accuracy check, trains the full budget.
"""

from mutants import Alternative, AuditRow, Mutant

# -- Exercise 1: lenet5 ------------------------------------------------------------------------

_LENET = '''
lenet5 = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(6, 5, padding="{c1_padding}", activation="{act}"),
        {pool},
        keras.layers.Conv2D(16, 5, padding="{c3_padding}", activation="{act}"),
        {pool},
        {c5}
        keras.layers.Dense({f6}, activation="{f6_act}"),
        keras.layers.Dense(10, activation="{out_act}"),
    ]
)
lenet_params = {params}
lenet5.summary()
'''

_PARAMS = ("(5 * 5 * 1 * 6 + 6) + (5 * 5 * 6 * 16 + 16) + (5 * 5 * 16 * 120 + 120) "
           "+ (120 * 84 + 84) + (84 * 10 + 10)")


def _lenet(c1_padding="same", c3_padding="valid", act="tanh",
           pool="keras.layers.AveragePooling2D(2)",
           c5='keras.layers.Conv2D(120, 5, activation="tanh"),\n        keras.layers.Flatten(),',
           f6=84, f6_act="tanh", out_act="softmax", params=_PARAMS) -> str:
    return _LENET.format(c1_padding=c1_padding, c3_padding=c3_padding, act=act, pool=pool, c5=c5,
                         f6=f6, f6_act=f6_act, out_act=out_act, params=params)


# -- Exercise 2: receptive_field ---------------------------------------------------------------

_FIELD = '''
def receptive_field(layers):
    """The side of the receptive field of a stack of (kernel_size, stride) layers."""
{body}


LENET = [(5, 1), (2, 2), (5, 1), (2, 2), (5, 1)]  # C1, S2, C3, S4, C5
print("LeNet-5's C5 sees", receptive_field(LENET), "pixels")
'''


def _field(body: str) -> str:
    return _FIELD.format(body=body.strip("\n"))


# -- Exercise 3: depth_concat ------------------------------------------------------------------

_CONCAT = '''
def depth_concat(a, b):
    """a and b concatenated along depth, zero-padded to the larger height and width."""
{body}


joined = np.asarray(depth_concat(np.ones((14, 14, 2)), np.full((16, 16, 3), 2.0)))
print(joined.shape)
'''


def _concat(body: str) -> str:
    return _CONCAT.format(body=body.strip("\n"))


def _padded_concat(top: str = "dh // 2", left: str = "dw // 2", axis: str = "-1",
                   order: str = "pad(a), pad(b)") -> str:
    return _concat(f'''
    a, b = np.asarray(a), np.asarray(b)
    height = max(a.shape[-3], b.shape[-3])
    width = max(a.shape[-2], b.shape[-2])

    def pad(t):
        dh, dw = height - t.shape[-3], width - t.shape[-2]
        top, left = {top}, {left}
        widths = [(0, 0)] * (t.ndim - 3) + [(top, dh - top), (left, dw - left), (0, 0)]
        return np.pad(t, widths)

    return np.concatenate([{order}], axis={axis})
''')


# -- Exercise 4: inception ---------------------------------------------------------------------

_INCEPTION = '''
def inception_module(x, f1, f3, f5, reduce3=None, reduce5=None, pool_proj=None):
    """GoogLeNet's inception module on the Keras tensor x."""
    def conv(t, filters, size):
        return keras.layers.Conv2D(filters, size, padding="{padding}", activation={activation})(t)

    branch1 = conv(x, f1, 1)
    branch3 = conv(x if reduce3 is None else conv(x, reduce3, 1), {f3}, 3)
    branch5 = conv(x if reduce5 is None else conv(x, reduce5, 1), {f5}, 5)
    pooled = {pool}(x)
    branch_pool = pooled if pool_proj is None else conv(pooled, pool_proj, 1)
    return keras.layers.Concatenate(axis={axis})([{order}])


naive_params = {naive}
reduced_params = {reduced}

module_input = keras.Input((28, 28, 192))
naive_module = keras.Model(module_input, inception_module(module_input, 64, 128, 32))
reduced_module = keras.Model(
    module_input, inception_module(module_input, 64, 128, 32, reduce3=96, reduce5=16, pool_proj=32)
)
print(naive_module.output_shape, reduced_module.output_shape)
'''

_NAIVE = "(1 * 1 * 192 * 64 + 64) + (3 * 3 * 192 * 128 + 128) + (5 * 5 * 192 * 32 + 32)"
_REDUCED = ("(1 * 1 * 192 * 64 + 64) + (1 * 1 * 192 * 96 + 96) + (3 * 3 * 96 * 128 + 128) "
            "+ (1 * 1 * 192 * 16 + 16) + (5 * 5 * 16 * 32 + 32) + (1 * 1 * 192 * 32 + 32)")


def _inception(padding="same", activation='"relu"', f3="f3", f5="f5", axis="-1",
               pool='keras.layers.MaxPooling2D(3, strides=1, padding="same")',
               order="branch1, branch3, branch5, branch_pool", naive=_NAIVE, reduced=_REDUCED,
               replace: tuple[str, str] | None = None) -> str:
    source = _INCEPTION.format(padding=padding, activation=activation, f3=f3, f5=f5, axis=axis,
                               pool=pool, order=order, naive=naive, reduced=reduced)
    if replace:
        assert replace[0] in source, replace[0]
        source = source.replace(*replace)
    return source


# -- Exercise 5: residual_block ----------------------------------------------------------------

_RESIDUAL = '''
def residual_block(x, filters, stride=1):
    """relu(shortcut(x) + conv(relu(conv(x)))): a ResNet basic block on the Keras tensor x."""
{body}


block_input = keras.Input((14, 14, 8))
for filters, stride in [(8, 1), (16, 1), (16, 2)]:
    block = keras.Model(block_input, residual_block(block_input, filters, stride))
    print(filters, stride, block.output_shape)
'''


def _residual(first_stride="stride", second_stride="1", second_act="None", filters="filters",
              needs_projection="stride != 1 or x.shape[-1] != filters", projection_stride="stride",
              combine='keras.layers.Activation("relu")(keras.layers.Add()([shortcut, y]))'
              ) -> str:
    return _RESIDUAL.format(body=f'''
    y = keras.layers.Conv2D({filters}, 3, strides={first_stride}, padding="same",
                            activation="relu")(x)
    y = keras.layers.Conv2D(filters, 3, strides={second_stride}, padding="same",
                            activation={second_act})(y)
    shortcut = x
    if {needs_projection}:
        shortcut = keras.layers.Conv2D(filters, 1, strides={projection_stride})(x)
    return {combine}
'''.strip("\n"))


# -- Exercise 6: highway -----------------------------------------------------------------------

_HIGHWAY = '''
def highway(x, gate_bias=-2.0):
    """A highway layer on the Keras tensor x of shape (batch, d)."""
    width = {width}
    transformed = keras.layers.Dense(width, activation="{h_act}")(x)
    gate = keras.layers.Dense(
        width, activation="{t_act}", bias_initializer=keras.initializers.Constant({bias})
    )(x)
    return {combine}


highway_input = keras.Input((5,))
closed = keras.Model(highway_input, highway(highway_input, gate_bias=-30.0))
print(closed.count_params())
'''


def _highway(width="x.shape[-1]", h_act="relu", t_act="sigmoid", bias="gate_bias",
             combine="transformed * gate + x * (1 - gate)") -> str:
    return _HIGHWAY.format(width=width, h_act=h_act, t_act=t_act, bias=bias, combine=combine)


# -- Exercise 7: resnet ------------------------------------------------------------------------

_RESNET_TAIL = '''
resnet_accuracy = resnet_history.history["val_accuracy"][-1]
print(f"residual: validation accuracy {resnet_accuracy:.1%}")
'''


def _resnet(body: str) -> str:
    return body.strip("\n") + "\n" + _RESNET_TAIL


def _fit(x="X_TRAIN", y="y_train", epochs="EPOCHS", batch="BATCH_SIZE", lr="LEARNING_RATE") -> str:
    return f'''
resnet.compile(optimizer=keras.optimizers.Adam({lr}), loss="sparse_categorical_crossentropy",
               metrics=["accuracy"])
resnet_history = resnet.fit({x}, {y}, validation_data=(X_VAL, y_val), epochs={epochs},
                            batch_size={batch}, verbose=0)
'''


MUTANTS = [
    # lenet5
    Mutant("max pooling instead of LeNet's average subsampling", "lenet5",
           _lenet(pool="keras.layers.MaxPooling2D(2)"), fails=("test_lenet5",), full=True),
    Mutant("ReLU instead of tanh", "lenet5", _lenet(act="relu", f6_act="relu"),
           fails=("test_lenet5",)),
    Mutant("F6 without its tanh", "lenet5", _lenet(f6_act="linear"), fails=("test_lenet5",)),
    Mutant("no softmax at the end", "lenet5", _lenet(out_act="linear"), fails=("test_lenet5",)),
    Mutant("C5 as Dense(120) after Flatten (same parameter count)", "lenet5",
           _lenet(c5='keras.layers.Flatten(),\n'
                     '        keras.layers.Dense(120, activation="tanh"),'),
           fails=("test_lenet5",)),
    Mutant("C1 with valid padding and C3 with same padding", "lenet5",
           _lenet(c1_padding="valid", c3_padding="same",
                  params="61_706"), fails=("test_lenet5",)),
    Mutant("F6 with 100 units", "lenet5", _lenet(f6=100, params="61_706"), fails=("test_lenet5",)),
    Mutant("lenet_params without the biases", "lenet5",
           _lenet(params="5 * 5 * 1 * 6 + 5 * 5 * 6 * 16 + 5 * 5 * 16 * 120 + 120 * 84 + 84 * 10"),
           fails=("test_lenet5",)),
    Mutant("pooling at stride 1", "lenet5",
           _lenet(pool="keras.layers.AveragePooling2D(2, strides=1)", params="61_706"),
           fails=("test_lenet5",)),
    # receptive_field
    Mutant("ignores the strides (week 02's formula)", "receptive_field", _field('''
    return 1 + sum(kernel_size - 1 for kernel_size, _ in layers)
'''), fails=("test_receptive_field",), full=True),
    Mutant("a layer's own stride widens its own field", "receptive_field", _field('''
    field, jump = 1, 1
    for kernel_size, stride in layers:
        jump *= stride
        field += (kernel_size - 1) * jump
    return field
'''), fails=("test_receptive_field",)),
    Mutant("adds the kernel sizes", "receptive_field", _field('''
    field, jump = 0, 1
    for kernel_size, stride in layers:
        field += kernel_size * jump
        jump *= stride
    return field
'''), fails=("test_receptive_field",)),
    # depth_concat
    Mutant("pads on one side only (bottom and right)", "depth_concat",
           _padded_concat(top="0", left="0"), fails=("test_depth_concat",), full=True),
    Mutant("the odd row and column at the top and left", "depth_concat",
           _padded_concat(top="dh - dh // 2", left="dw - dw // 2"), fails=("test_depth_concat",)),
    Mutant("b's channels first", "depth_concat", _padded_concat(order="pad(b), pad(a)"),
           fails=("test_depth_concat",)),
    Mutant("concatenates along the width axis", "depth_concat", _padded_concat(axis="-2"),
           fails=("test_depth_concat",), crashes=True),
    Mutant("only for single tensors (axis 2)", "depth_concat", _concat('''
    a, b = np.asarray(a), np.asarray(b)
    height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])

    def pad(t):
        dh, dw = height - t.shape[0], width - t.shape[1]
        return np.pad(t, [(dh // 2, dh - dh // 2), (dw // 2, dw - dw // 2), (0, 0)])

    return np.concatenate([pad(a), pad(b)], axis=2)
'''), fails=("test_depth_concat",), crashes=False),
    Mutant("pads the whole smaller tensor to the other's size", "depth_concat", _concat('''
    a, b = np.asarray(a), np.asarray(b)
    small, large = (a, b) if a.shape[-3] * a.shape[-2] < b.shape[-3] * b.shape[-2] else (b, a)
    dh, dw = large.shape[-3] - small.shape[-3], large.shape[-2] - small.shape[-2]
    widths = [(0, 0)] * (small.ndim - 3)
    widths += [(dh // 2, dh - dh // 2), (dw // 2, dw - dw // 2), (0, 0)]
    small = np.pad(small, widths)
    return np.concatenate([small, large] if large is b else [large, small], axis=-1)
'''), fails=("test_depth_concat",)),
    Mutant("crops the larger tensor instead of padding the smaller", "depth_concat", _concat('''
    a, b = np.asarray(a), np.asarray(b)
    height, width = min(a.shape[-3], b.shape[-3]), min(a.shape[-2], b.shape[-2])

    def crop(t):
        top, left = (t.shape[-3] - height) // 2, (t.shape[-2] - width) // 2
        return t[..., top:top + height, left:left + width, :]

    return np.concatenate([crop(a), crop(b)], axis=-1)
'''), fails=("test_depth_concat",)),
    # inception
    Mutant("3x3 and 5x5 filter numbers swapped", "inception", _inception(f3="f5", f5="f3"),
           fails=("test_inception",), full=True),
    Mutant("no ReLU after the convolutions", "inception", _inception(activation="None"),
           fails=("test_inception",)),
    Mutant("the pooling branch first", "inception",
           _inception(order="branch_pool, branch1, branch3, branch5"), fails=("test_inception",)),
    Mutant("2x2 max pooling", "inception",
           _inception(pool='keras.layers.MaxPooling2D(2, strides=1, padding="same")'),
           fails=("test_inception",)),
    Mutant("average pooling", "inception",
           _inception(pool='keras.layers.AveragePooling2D(3, strides=1, padding="same")'),
           fails=("test_inception",)),
    Mutant("3x3 pooling at stride 3 (Keras's default stride)", "inception",
           _inception(pool='keras.layers.MaxPooling2D(3, padding="same")'),
           fails=("test_inception",), crashes=True),
    Mutant("valid padding", "inception", _inception(padding="valid"),
           fails=("test_inception",), crashes=True),
    Mutant("concatenates along the height axis", "inception", _inception(axis="1"),
           fails=("test_inception",), crashes=True),
    Mutant("ignores reduce3", "inception",
           _inception(replace=("conv(x if reduce3 is None else conv(x, reduce3, 1), f3, 3)",
                               "conv(x, f3, 3)"), reduced="163_696"), fails=("test_inception",)),
    Mutant("ignores reduce5", "inception",
           _inception(replace=("conv(x if reduce5 is None else conv(x, reduce5, 1), f5, 5)",
                               "conv(x, f5, 5)"), reduced="163_696"), fails=("test_inception",)),
    Mutant("ignores pool_proj", "inception",
           _inception(replace=("pooled if pool_proj is None else conv(pooled, pool_proj, 1)",
                               "pooled"), reduced="163_696"), fails=("test_inception",)),
    Mutant("the reduction after the 3x3 convolution", "inception",
           _inception(replace=("conv(x if reduce3 is None else conv(x, reduce3, 1), f3, 3)",
                               "conv(x, f3, 3) if reduce3 is None "
                               "else conv(conv(x, f3, 3), reduce3, 1)"),
                      reduced="163_696"), fails=("test_inception",)),
    Mutant("the counts without the biases", "inception",
           _inception(naive="1 * 1 * 192 * 64 + 3 * 3 * 192 * 128 + 5 * 5 * 192 * 32",
                      reduced="163_696 - 64 - 96 - 128 - 16 - 32 - 32"),
           fails=("test_inception",)),
    Mutant("reduced_params keeps 192 channels for the 3x3 convolution", "inception",
           _inception(reduced=_REDUCED.replace("3 * 3 * 96 * 128", "3 * 3 * 192 * 128")),
           fails=("test_inception",)),
    # residual_block
    Mutant("no shortcut (a plain block)", "residual_block",
           _residual(combine='keras.layers.Activation("relu")(y)'),
           fails=("test_residual_block",)),
    Mutant("never a projection (the shortcut is always x)", "residual_block",
           _residual(needs_projection="False"), fails=("test_residual_block",), crashes=True),
    Mutant("a projection only when the channels change", "residual_block",
           _residual(needs_projection="x.shape[-1] != filters"), fails=("test_residual_block",)),
    Mutant("always a projection", "residual_block", _residual(needs_projection="True"),
           fails=("test_residual_block",)),
    Mutant("the projection without the stride", "residual_block",
           _residual(projection_stride="1"), fails=("test_residual_block",), crashes=True),
    Mutant("the stride on the second convolution", "residual_block",
           _residual(first_stride="1", second_stride="stride"), fails=("test_residual_block",)),
    Mutant("ReLU on the second convolution before the addition", "residual_block",
           _residual(second_act='"relu"'), fails=("test_residual_block",)),
    Mutant("no ReLU after the addition", "residual_block",
           _residual(combine="keras.layers.Add()([shortcut, y])"), fails=("test_residual_block",)),
    Mutant("the first convolution keeps x's channels", "residual_block",
           _residual(filters="x.shape[-1]"), fails=("test_residual_block",)),
    # highway
    Mutant("ignores gate_bias (always -2)", "highway", _highway(bias="-2.0"),
           fails=("test_highway",), full=True),
    Mutant("H without its ReLU", "highway", _highway(h_act="linear"), fails=("test_highway",)),
    Mutant("a tanh gate", "highway", _highway(t_act="tanh"), fails=("test_highway",)),
    Mutant("carries x with T instead of 1 - T", "highway",
           _highway(combine="transformed * gate + x * gate"), fails=("test_highway",)),
    Mutant("the width of the demo's input (5) for every x", "highway", _highway(width="5"),
           fails=("test_highway",)),
    # resnet
    Mutant("the plain network (plain_block) trained the same way", "resnet",
           _resnet("resnet = deep_cnn(plain_block)\nresnet_history = train_deep(resnet)"),
           fails=("test_resnet",), full=True),
    Mutant("5 blocks instead of N_BLOCKS", "resnet",
           _resnet("resnet = deep_cnn(residual_block, 5)"
                   + _fit(x="X_TRAIN[:320]", y="y_train[:320]")),
           fails=("test_resnet",)),
    Mutant("width 32 instead of WIDTH", "resnet",
           _resnet("resnet = deep_cnn(residual_block, width=32)"
                   + _fit(x="X_TRAIN[:320]", y="y_train[:320]")),
           fails=("test_resnet",)),
    Mutant("6 epochs instead of EPOCHS", "resnet",
           _resnet("resnet = deep_cnn(residual_block)" + _fit(x="X_TRAIN[:320]", y="y_train[:320]",
                                                               epochs="6")),
           fails=("test_resnet",)),
    Mutant("batches of 16 for one epoch (more steps than the budget allows)", "resnet",
           _resnet("resnet = deep_cnn(residual_block)" + _fit(epochs="1", batch="16")),
           fails=("test_resnet",)),
    Mutant("learning rate 0.003 instead of LEARNING_RATE", "resnet",
           _resnet("resnet = deep_cnn(residual_block)"
                   + _fit(x="X_TRAIN[:320]", y="y_train[:320]", lr="3e-3")),
           fails=("test_resnet",)),
    Mutant("trained on the validation digits", "resnet",
           _resnet("resnet = deep_cnn(residual_block)" + _fit(x="X_VAL", y="y_val")),
           fails=("test_resnet",)),
]

ALTERNATIVES = [
    Alternative("functional API with Activation layers and AvgPool2D", "lenet5", '''
inputs = keras.Input(shape=(28, 28, 1))
x = keras.layers.Conv2D(filters=6, kernel_size=(5, 5), padding="same")(inputs)
x = keras.layers.Activation("tanh")(x)
x = keras.layers.AvgPool2D(pool_size=(2, 2), strides=(2, 2))(x)
x = keras.layers.Conv2D(filters=16, kernel_size=(5, 5))(x)
x = keras.layers.Activation("tanh")(x)
x = keras.layers.AvgPool2D(pool_size=(2, 2))(x)
x = keras.layers.Activation("tanh")(keras.layers.Conv2D(120, (5, 5))(x))
x = keras.layers.Flatten()(x)
x = keras.layers.Activation("tanh")(keras.layers.Dense(84)(x))
outputs = keras.layers.Softmax()(keras.layers.Dense(10)(x))
lenet5 = keras.Model(inputs, outputs, name="LeNet5")


def conv_params(f, d_in, k):
    return f * f * d_in * k + k


lenet_params = conv_params(5, 1, 6) + conv_params(5, 6, 16) + conv_params(5, 16, 120)
lenet_params += 120 * 84 + 84 + 84 * 10 + 10
lenet5.summary()
''', group=1),
    Alternative("Sequential.add in a loop, counts from the layer table", "lenet5", '''
lenet5 = keras.Sequential(name="lenet5")
lenet5.add(keras.Input((28, 28, 1)))
for filters, padding in [(6, "same"), (16, "valid")]:
    lenet5.add(keras.layers.Conv2D(filters, 5, padding=padding, activation=keras.activations.tanh))
    lenet5.add(keras.layers.AveragePooling2D(pool_size=2, strides=2))
lenet5.add(keras.layers.Conv2D(120, 5, activation="tanh"))
lenet5.add(keras.layers.Reshape((120,)))
lenet5.add(keras.layers.Dense(84, activation="tanh"))
lenet5.add(keras.layers.Dense(10))
lenet5.add(keras.layers.Activation("softmax"))
convs = [(5, 1, 6), (5, 6, 16), (5, 16, 120)]
denses = [(120, 84), (84, 10)]
lenet_params = sum(f * f * d * k + k for f, d, k in convs) + sum(i * o + o for i, o in denses)
lenet5.summary()
''', group=2),
    Alternative("backward recursion from the output", "receptive_field", '''
def receptive_field(layers):
    """The side of the receptive field of a stack of (kernel_size, stride) layers."""
    size = 1  # one output pixel
    for kernel, stride in reversed(list(layers)):
        size = (size - 1) * stride + kernel
    return int(size)


LENET = [(5, 1), (2, 2), (5, 1), (2, 2), (5, 1)]
print(receptive_field(LENET))
''', group=1),
    Alternative("NumPy cumulative product of the strides", "receptive_field", '''
def receptive_field(layers):
    """The side of the receptive field of a stack of (kernel_size, stride) layers."""
    layers = np.array(list(layers), dtype=int).reshape(-1, 2)
    jumps = np.concatenate([[1], np.cumprod(layers[:, 1])[:-1]])
    return int(1 + np.sum((layers[:, 0] - 1) * jumps))


LENET = [(5, 1), (2, 2), (5, 1), (2, 2), (5, 1)]
print(receptive_field(LENET))
''', group=2),
    Alternative("zeros and slice assignment", "depth_concat", '''
def depth_concat(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    *lead, ha, wa, ca = a.shape
    hb, wb, cb = b.shape[-3:]
    h, w = max(ha, hb), max(wa, wb)
    out = np.zeros((*lead, h, w, ca + cb))
    top, left = (h - ha) // 2, (w - wa) // 2
    out[..., top:top + ha, left:left + wa, :ca] = a
    top, left = (h - hb) // 2, (w - wb) // 2
    out[..., top:top + hb, left:left + wb, ca:] = b
    return out


print(depth_concat(np.ones((14, 14, 2)), np.ones((16, 16, 3))).shape)
''', group=1),
    Alternative("TensorFlow: tf.pad and tf.concat", "depth_concat", '''
def depth_concat(a, b):
    a = tf.convert_to_tensor(a, dtype=tf.float64)
    b = tf.convert_to_tensor(b, dtype=tf.float64)
    rank = len(a.shape)
    height = max(a.shape[-3], b.shape[-3])
    width = max(a.shape[-2], b.shape[-2])

    def centred(t):
        extra_h, extra_w = height - t.shape[-3], width - t.shape[-2]
        paddings = [[0, 0]] * (rank - 3) + [[extra_h // 2, extra_h - extra_h // 2],
                                            [extra_w // 2, extra_w - extra_w // 2], [0, 0]]
        return tf.pad(t, paddings)

    return tf.concat([centred(a), centred(b)], axis=rank - 1)


print(depth_concat(np.ones((14, 14, 2)), np.ones((16, 16, 3))).shape)
''', group=2),
    Alternative("branches in a list, ReLU layers, a parameter helper", "inception", '''
def inception_module(x, f1, f3, f5, reduce3=None, reduce5=None, pool_proj=None):
    branches = []
    for filters, size, reduce in [(f1, 1, None), (f3, 3, reduce3), (f5, 5, reduce5)]:
        t = x
        if reduce:
            t = keras.layers.ReLU()(keras.layers.Conv2D(reduce, 1)(t))
        branches.append(keras.layers.ReLU()(keras.layers.Conv2D(filters, size, padding="same")(t)))
    t = keras.layers.MaxPool2D(pool_size=(3, 3), strides=(1, 1), padding="same")(x)
    if pool_proj:
        t = keras.layers.ReLU()(keras.layers.Conv2D(pool_proj, 1)(t))
    branches.append(t)
    return keras.layers.concatenate(branches, axis=3)


def conv_params(size, d_in, filters):
    return size * size * d_in * filters + filters


naive_params = conv_params(1, 192, 64) + conv_params(3, 192, 128) + conv_params(5, 192, 32)
reduced_params = (conv_params(1, 192, 64) + conv_params(1, 192, 96) + conv_params(3, 96, 128)
                  + conv_params(1, 192, 16) + conv_params(5, 16, 32) + conv_params(1, 192, 32))

module_input = keras.Input((28, 28, 192))
naive_module = keras.Model(module_input, inception_module(module_input, 64, 128, 32))
reduced_module = keras.Model(
    module_input, inception_module(module_input, 64, 128, 32, reduce3=96, reduce5=16, pool_proj=32)
)
print(naive_module.count_params(), reduced_module.count_params())
''', group=1),
    Alternative("pooling branch built first, Activation layers, counts by a loop", "inception", '''
def inception_module(x, f1, f3, f5, reduce3=None, reduce5=None, pool_proj=None):
    def relu_conv(t, filters, size):
        t = keras.layers.Conv2D(filters=filters, kernel_size=(size, size), strides=1,
                                padding="same",
                                use_bias=True)(t)
        return keras.layers.Activation(keras.activations.relu)(t)

    pool = keras.layers.MaxPooling2D(pool_size=3, strides=1, padding="same")(x)
    if pool_proj is not None:
        pool = relu_conv(pool, pool_proj, 1)
    five = relu_conv(relu_conv(x, reduce5, 1) if reduce5 is not None else x, f5, 5)
    three = relu_conv(relu_conv(x, reduce3, 1) if reduce3 is not None else x, f3, 3)
    one = relu_conv(x, f1, 1)
    return keras.layers.Concatenate(axis=-1)([one, three, five, pool])


naive_params = 0
for size, filters in [(1, 64), (3, 128), (5, 32)]:
    naive_params += size * size * 192 * filters + filters
reduced_params = 0
for size, d_in, filters in [(1, 192, 64), (1, 192, 96), (3, 96, 128), (1, 192, 16), (5, 16, 32),
                            (1, 192, 32)]:
    reduced_params += size * size * d_in * filters + filters

module_input = keras.Input((28, 28, 192))
naive_module = keras.Model(module_input, inception_module(module_input, 64, 128, 32))
reduced_module = keras.Model(
    module_input, inception_module(module_input, 64, 128, 32, reduce3=96, reduce5=16, pool_proj=32)
)
print(naive_module.count_params(), reduced_module.count_params())
''', group=2),
    Alternative("shortcut first, keras.layers.add and a ReLU layer", "residual_block", '''
def residual_block(x, filters, stride=1):
    in_channels = x.shape[-1]
    if stride == 1 and in_channels == filters:
        shortcut = x
    else:
        shortcut = keras.layers.Conv2D(filters, kernel_size=1, strides=stride, padding="same")(x)
    main = keras.layers.Conv2D(filters, kernel_size=3, strides=stride, padding="same")(x)
    main = keras.layers.ReLU()(main)
    main = keras.layers.Conv2D(filters, kernel_size=3, padding="same")(main)
    return keras.layers.ReLU()(keras.layers.add([main, shortcut]))


block_input = keras.Input((14, 14, 8))
print(keras.Model(block_input, residual_block(block_input, 16, 2)).output_shape)
''', group=1),
    Alternative("keras.ops on the Keras tensors", "residual_block", '''
def residual_block(x, filters, stride=1):
    f = keras.layers.Conv2D(filters, 3, strides=(stride, stride), padding="same",
                            activation="relu")(x)
    f = keras.layers.Conv2D(filters, 3, strides=(1, 1), padding="same")(f)
    projected = stride > 1 or x.shape[-1] != filters
    shortcut = keras.layers.Conv2D(filters, 1, strides=stride)(x) if projected else x
    return keras.ops.relu(shortcut + f)


block_input = keras.Input((14, 14, 8))
print(keras.Model(block_input, residual_block(block_input, 16, 2)).output_shape)
''', group=2),
    Alternative("Multiply, Add and a Lambda layer", "highway", '''
def highway(x, gate_bias=-2.0):
    d = int(x.shape[-1])
    gate = keras.layers.Dense(d, bias_initializer=keras.initializers.Constant(gate_bias))(x)
    gate = keras.layers.Activation("sigmoid")(gate)
    h = keras.layers.ReLU()(keras.layers.Dense(d)(x))
    carry = keras.layers.Lambda(lambda t: 1.0 - t)(gate)
    transformed = keras.layers.Multiply()([h, gate])
    return keras.layers.Add()([transformed, keras.layers.Multiply()([x, carry])])


highway_input = keras.Input((5,))
print(keras.Model(highway_input, highway(highway_input)).count_params())
''', group=1),
    Alternative("x + T(H - x) with keras.ops", "highway", '''
def highway(x, gate_bias=-2.0):
    width = x.shape[-1]
    t = keras.ops.sigmoid(
        keras.layers.Dense(units=width,
                           bias_initializer=keras.initializers.Constant(value=gate_bias))(x)
    )
    h = keras.layers.Dense(units=width, activation=keras.activations.relu)(x)
    return x + t * (h - x)  # the same as H*T + x*(1 - T)


highway_input = keras.Input((5,))
print(keras.Model(highway_input, highway(highway_input)).count_params())
''', group=2),
    Alternative("compile and fit written out", "resnet", _resnet(
        "resnet = deep_cnn(residual_block, n_blocks=N_BLOCKS, width=WIDTH)" + _fit()), group=1),
    Alternative("two fit calls (2 + 1 epochs), a lambda block", "resnet", _resnet('''
resnet = deep_cnn(lambda x, filters: residual_block(x, filters, stride=1))
resnet.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
               loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
resnet.fit(X_TRAIN, y_train, epochs=2, batch_size=BATCH_SIZE, verbose=0)
resnet_history = resnet.fit(X_TRAIN, y_train, validation_data=(X_VAL, y_val), initial_epoch=2,
                            epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0)
'''), group=2),
]

# -- the parameter audit: what each answer cell's instructions name ---------------------------

AUDIT = [
    AuditRow("lenet5", "S2/S4: average pooling (LeNet's subsampling)", "test_lenet5",
             "max pooling instead of LeNet's average subsampling"),
    AuditRow("lenet5", "S2/S4: 2x2 at stride 2", "test_lenet5", "pooling at stride 1"),
    AuditRow("lenet5", "tanh after C1, C3 and C5", "test_lenet5", "ReLU instead of tanh"),
    AuditRow("lenet5", "tanh after F6", "test_lenet5", "F6 without its tanh"),
    AuditRow("lenet5", "softmax at the end", "test_lenet5", "no softmax at the end"),
    AuditRow("lenet5", "C5 a 5x5 convolution with 120 filters", "test_lenet5",
             "C5 as Dense(120) after Flatten (same parameter count)"),
    AuditRow("lenet5", "C1 padding='same', C3 and C5 'valid'", "test_lenet5",
             "C1 with valid padding and C3 with same padding"),
    AuditRow("lenet5", "F6 with 84 units", "test_lenet5", "F6 with 100 units"),
    AuditRow("lenet5", "lenet_params by the formulas (with biases)", "test_lenet5",
             "lenet_params without the biases"),
    AuditRow("receptive_field", "stride: the jump of the later layers", "test_receptive_field",
             "ignores the strides (week 02's formula)"),
    AuditRow("receptive_field", "a layer's stride acts after its own kernel",
             "test_receptive_field",
             "a layer's own stride widens its own field"),
    AuditRow("receptive_field", "kernel_size: r grows by F - 1", "test_receptive_field",
             "adds the kernel sizes"),
    AuditRow("depth_concat", "zero-padding the smaller (not cropping the larger)",
             "test_depth_concat",
             "crops the larger tensor instead of padding the smaller"),
    AuditRow("depth_concat", "equally on both sides", "test_depth_concat",
             "pads on one side only (bottom and right)"),
    AuditRow("depth_concat", "odd difference: the extra row at the bottom, column on the right",
             "test_depth_concat", "the odd row and column at the top and left"),
    AuditRow("depth_concat", "each dimension separately (a taller, b wider)", "test_depth_concat",
             "pads the whole smaller tensor to the other's size"),
    AuditRow("depth_concat", "along the last (depth) axis", "test_depth_concat",
             "concatenates along the width axis"),
    AuditRow("depth_concat", "a's channels first", "test_depth_concat", "b's channels first"),
    AuditRow("depth_concat", "batches (n, height, width, depth)", "test_depth_concat",
             "only for single tensors (axis 2)"),
    AuditRow("inception", "f1, f3, f5: the filters of each branch", "test_inception",
             "3x3 and 5x5 filter numbers swapped"),
    AuditRow("inception", "reduce3: a 1x1 convolution before the 3x3", "test_inception",
             "ignores reduce3"),
    AuditRow("inception", "reduce3 comes before (not after) the 3x3 convolution", "test_inception",
             "the reduction after the 3x3 convolution"),
    AuditRow("inception", "reduce5: a 1x1 convolution before the 5x5", "test_inception",
             "ignores reduce5"),
    AuditRow("inception", "pool_proj: a 1x1 convolution after the pooling", "test_inception",
             "ignores pool_proj"),
    AuditRow("inception", "branch order 1x1, 3x3, 5x5, pooling", "test_inception",
             "the pooling branch first"),
    AuditRow("inception", "ReLU after every convolution", "test_inception",
             "no ReLU after the convolutions"),
    AuditRow("inception", "3x3 max pooling", "test_inception", "2x2 max pooling"),
    AuditRow("inception", "max (not average) pooling", "test_inception", "average pooling"),
    AuditRow("inception", "pooling at stride 1", "test_inception",
             "3x3 pooling at stride 3 (Keras's default stride)"),
    AuditRow("inception", "padding='same'", "test_inception", "valid padding"),
    AuditRow("inception", "concatenated along depth", "test_inception",
             "concatenates along the height axis"),
    AuditRow("inception", "naive_params and reduced_params with biases", "test_inception",
             "the counts without the biases"),
    AuditRow("inception", "reduced_params: the 3x3 convolution on 96 reduced channels",
             "test_inception", "reduced_params keeps 192 channels for the 3x3 convolution"),
    AuditRow("residual_block", "the shortcut: x + F(x)", "test_residual_block",
             "no shortcut (a plain block)"),
    AuditRow("residual_block", "a projection when the channels change", "test_residual_block",
             "never a projection (the shortcut is always x)"),
    AuditRow("residual_block", "a projection when the stride is not 1", "test_residual_block",
             "a projection only when the channels change"),
    AuditRow("residual_block", "no projection when nothing changes", "test_residual_block",
             "always a projection"),
    AuditRow("residual_block", "the projection with the block's stride", "test_residual_block",
             "the projection without the stride"),
    AuditRow("residual_block", "stride on the first 3x3 convolution", "test_residual_block",
             "the stride on the second convolution"),
    AuditRow("residual_block", "no activation on the second convolution", "test_residual_block",
             "ReLU on the second convolution before the addition"),
    AuditRow("residual_block", "ReLU after the addition", "test_residual_block",
             "no ReLU after the addition"),
    AuditRow("residual_block", "filters for both convolutions", "test_residual_block",
             "the first convolution keeps x's channels"),
    AuditRow("highway", "gate_bias (tried -30, -2, -1 and 0.5)", "test_highway",
             "ignores gate_bias (always -2)"),
    AuditRow("highway", "H = ReLU(Dense)", "test_highway", "H without its ReLU"),
    AuditRow("highway", "T = sigmoid(Dense)", "test_highway", "a tanh gate"),
    AuditRow("highway", "y = H·T + x·(1 - T)", "test_highway", "carries x with T instead of 1 - T"),
    AuditRow("highway", "Dense(d) for x of width d (tried 3, 4, 5)", "test_highway",
             "the width of the demo's input (5) for every x"),
    AuditRow("resnet", "your residual_block (the shortcuts)", "test_resnet",
             "the plain network (plain_block) trained the same way"),
    AuditRow("resnet", "N_BLOCKS", "test_resnet", "5 blocks instead of N_BLOCKS"),
    AuditRow("resnet", "WIDTH", "test_resnet", "width 32 instead of WIDTH"),
    AuditRow("resnet", "EPOCHS", "test_resnet", "6 epochs instead of EPOCHS"),
    AuditRow("resnet", "BATCH_SIZE", "test_resnet",
             "batches of 16 for one epoch (more steps than the budget allows)"),
    AuditRow("resnet", "LEARNING_RATE", "test_resnet",
             "learning rate 0.003 instead of LEARNING_RATE"),
    AuditRow("resnet", "trained on X_TRAIN only", "test_resnet",
             "trained on the validation digits"),
]
