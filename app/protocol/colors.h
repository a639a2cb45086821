// Colour rules and the palettes of the original socket_chat front end.
#pragma once

#include <QString>
#include <QStringList>

namespace chalk::protocol {

// "#rgb", "#rrggbb" or "#rrggbbaa", hex digits in either case.
bool isValidColor(QStringView color);

// The nine room colours the original server picks from at random.
const QStringList &roomPalette();
QString randomRoomColor();

// The original drawing palette (18 colours) and its default ink.
const QStringList &drawingPalette();
QLatin1String defaultInk();

} // namespace chalk::protocol
