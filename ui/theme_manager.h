// The eight stylesheets (themes/theme-N.qss, built into resources as :/themes/theme-N.qss).
// A theme is applied to the whole application, so dialogs and popups follow it too.
#pragma once

#include <QString>

namespace chalk::ui::themes {

constexpr int kCount = 8;
QString name(int index);       // "Silver", ... (index 0..7)
QString styleSheet(int index); // the stylesheet text; empty for a bad index
int clampIndex(int index);
// Sets the application's stylesheet. Returns false when the resource is missing.
bool apply(int index);
int current(); // the last applied index, -1 before any

} // namespace chalk::ui::themes
