// Whether the desktop prefers a dark appearance, asked once at a first start to pick the theme.
// Qt 6.4 has no QStyleHints::colorScheme (6.5): on Linux the freedesktop settings portal is
// asked over D-Bus (org.freedesktop.appearance color-scheme); elsewhere, or without an
// answer, the platform palette tells (dark window, light text).
#pragma once

#include <QPalette>

namespace chalk::ui {

bool systemPrefersDark();
bool paletteIsDark(const QPalette &palette);

} // namespace chalk::ui
