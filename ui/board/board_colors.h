// Line colours are CSS-style hex: "#rgb", "#rrggbb", "#rrggbbaa" (alpha LAST). QColor reads
// "#aarrggbb" (alpha first), so the original's default ink "#000000cc" needs its own parser.
#pragma once

#include <QColor>
#include <QString>

namespace chalk::ui {

// An invalid QColor for anything that is not one of the three forms.
QColor colorFromHex(QStringView text);
// "#rrggbb", or "#rrggbbaa" when not opaque; lower case, as the server stores colours.
QString hexFromColor(const QColor &color);

// The board's paper. Eraser strokes are painted in it (see docs/BOARD.md).
inline QColor boardPaperColor()
{
    return QColor(Qt::white);
}

} // namespace chalk::ui
