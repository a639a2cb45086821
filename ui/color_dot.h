// A colour as a round dot with a thin dark outline, so a pale room colour still shows on a
// pale theme: the room's colour beside the Messages title and on the colour dialog's buttons.
#pragma once

#include <QColor>
#include <QPixmap>

namespace chalk::ui {

// size: logical pixels; drawn at devicePixelRatio for a sharp dot on high-DPI screens.
QPixmap colorDot(const QColor &color, int size, qreal devicePixelRatio);

} // namespace chalk::ui
