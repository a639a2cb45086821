// How presence reads on screen, in the Direct section and the Users tab: "Online",
// "Last seen 14:05", "Last seen yesterday", "Last seen 3 Nov", "Offline"; and the dot drawn
// beside a person (green when online, a grey ring when away).
#pragma once

#include <QColor>
#include <QDateTime>
#include <QIcon>
#include <QString>

namespace chalk::ui::presence_text {

// `lastSeen` invalid: not known (the server has not said, or never saw them leave).
QString describe(bool online, const QDateTime &lastSeen, const QDateTime &now);
QColor onlineColor();
// A dot of `size` pixels: filled when online, a ring otherwise; `outline` keeps it visible on
// any background.
QIcon dot(bool online, int size, const QColor &outline);

} // namespace chalk::ui::presence_text
