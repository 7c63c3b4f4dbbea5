"""The village picker's item model (a QStandardItemModel we fill) keeps Qt's model contract."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from mediator.ui.widgets.region_picker import RegionPicker, RegionRole


@pytest.fixture
def picker(env):
    """Not handed to qtbot: its widgets are deleted before qtmodeltester lets go of the model."""
    widget = RegionPicker(env)
    yield widget
    widget.deleteLater()


def test_grouped_villages_keep_the_model_contract_through_a_reload(picker, env, qtmodeltester):
    model = picker.village_combo.model()
    qtmodeltester.check(model, force_py=True)
    rows = model.rowCount()
    headers = [r for r in range(rows) if model.index(r, 0).data(RegionRole.IS_HEADER)]
    assert headers and rows > len(headers)
    assert all(model.flags(model.index(r, 0)) == Qt.ItemFlag.NoItemFlags for r in headers)
    assert picker.set_village("419901100201")
    env.signals.reference_changed.emit()  # clear() and fill again, under the tester's eye
    assert model.rowCount() == rows and picker.village_code() == "419901100201"
