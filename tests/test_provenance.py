"""The record of what each Keras model was trained on (dlcourse.provenance) and the checks
that read it."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import checks, provenance

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(60, 8, 8)).astype("uint8")
    y = rng.integers(0, 3, size=60)
    return x, y


def _model():
    provenance.install()
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(), keras.layers.Dense(3)])
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def test_fingerprints_survive_scaling_reshaping_and_casting(digits):
    x, _ = digits
    raw = provenance.fingerprints(x)
    assert len(raw) == 60
    assert provenance.fingerprints((x / 255.0).astype("float32")[..., None]) == raw
    assert provenance.fingerprints(x.reshape(60, -1) * 2.0 - 1.0) == raw
    assert provenance.fingerprints((x - x.mean()) / x.std()) == raw
    assert provenance.fingerprints(x[::-1] + np.eye(8)) .isdisjoint(raw)


def test_fingerprints_do_not_depend_on_the_chunk_size(digits, monkeypatch):
    x, _ = digits
    whole = provenance.fingerprints(x)
    monkeypatch.setattr(provenance, "CHUNK_SAMPLES", 7)  # 60 samples: 8 full chunks and 4 left
    assert provenance.fingerprints(x) == whole
    assert provenance.fingerprints(x[:0]) == frozenset()


def test_fingerprinting_a_training_set_holds_little_memory():
    """Week 03 fingerprints 4,000 digits after every fit: a float64 copy of them all (and
    its temporaries) was the kernel's peak; chunks keep it to a few MB."""
    import tracemalloc

    x = np.random.default_rng(1).random((4000, 28, 28, 1), dtype=np.float32)  # 12.5 MB
    tracemalloc.start()
    try:
        rows = provenance.fingerprints(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows is not None and len(rows) == 4000
    assert peak < 8 * 2**20, f"fingerprinting 4,000 digits held {peak / 2**20:.1f} MB at its peak"


def test_fingerprints_of_non_arrays_are_none():
    assert provenance.fingerprints(None) is None
    assert provenance.fingerprints(iter([1, 2])) is None
    assert provenance.fingerprints("text") is None
    assert provenance.fingerprints(np.array(["a", "b"], dtype=object)) is None


def test_install_is_idempotent():
    provenance.install()
    fit = keras.Model.fit
    provenance.install()
    assert keras.Model.fit is fit


def test_fit_is_recorded_with_samples_and_epochs(digits):
    x, y = digits
    model = _model()
    model.fit(x[:40] / 255.0, y[:40], epochs=2, verbose=0)
    model.fit(x=x[:20] / 255.0, y=y[:20], epochs=1, verbose=0)
    records = provenance.fit_records(model)
    assert [r.samples for r in records] == [40, 20]
    assert provenance.epochs_trained(model) == 3
    assert provenance.overlap(model, x[40:]) == (0, 20)
    assert provenance.overlap(model, x[30:50]) == (10, 20)


def test_check_not_trained_on_names_the_data(digits):
    x, y = digits
    model = _model()
    model.fit(x / 255.0, y, epochs=1, verbose=0)
    with pytest.raises(checks.CheckFailed) as error:
        checks.check_not_trained_on(model, x[40:], "best_fcnn", data="the held-out test digits")
    message = str(error.value)
    assert "best_fcnn was trained on 20 of the 20 samples of the held-out test digits" in message
    clean = _model()
    clean.fit(x[:40], y[:40], epochs=1, verbose=0)
    checks.check_not_trained_on(clean, x[40:], "clean")


def test_unrecorded_inputs_get_the_benefit_of_the_doubt(digits):
    tf = pytest.importorskip("tensorflow")
    x, y = digits
    model = _model()
    model.fit(tf.data.Dataset.from_tensor_slices((x / 255.0, y)).batch(16), epochs=1, verbose=0)
    assert provenance.fit_records(model)[0].rows is None
    checks.check_not_trained_on(model, x, "model")
    assert provenance.epochs_trained(model) == 1


def test_check_epochs_trained_counts_every_fit_call(digits):
    x, y = digits
    model = _model()
    model.fit(x, y, epochs=3, verbose=0)
    assert checks.check_epochs_trained(model, 3, "my_cnn") == 3
    model.fit(x, y, epochs=2, verbose=0)
    with pytest.raises(checks.CheckFailed, match=r"my_cnn trained for 5 epochs in 2 calls of "
                       r"fit\(\); the budget is 3 epochs"):
        checks.check_epochs_trained(model, 3, "my_cnn")


def test_trained_models_lists_the_live_models_that_fit_trained(digits):
    x, y = digits
    trained, untrained = _model(), _model()
    trained.fit(x[:20] / 255.0, y[:20], epochs=1, verbose=0)
    assert any(m is trained for m in provenance.trained_models())
    assert not any(m is untrained for m in provenance.trained_models())
