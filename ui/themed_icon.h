// Icons that follow the theme: the monochrome icons of resources/icons are drawn in the colour
// the current stylesheet names for where they sit (its second line, "icons: pane #.., accent
// #.., header #.."; themes/generate_themes.py checks each against its background at 3:1), so a
// Send icon is white on a dark button and a toolbar icon light on a dark pane. Coloured parts
// (the dots of room-color) keep their colours.
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace chalk::ui::themes {

enum class IconPlace {
    Pane,   // tool buttons, menus, line edits: on the pane's background
    Accent, // push buttons: on the accent colour
    Header, // the header bar
};

// An icon drawn, at each paint, in the current theme's colour for `place`.
QIcon icon(const QString &resource, IconPlace place);
QColor iconColor(IconPlace place); // the current theme's

// The icon colours a stylesheet names; false when its second line does not name them.
bool parseIconColors(const QString &styleSheet, QColor *pane, QColor *accent, QColor *header);
// Makes them current (theme_manager's apply() does it for each theme it applies).
void setIconColors(const QColor &pane, const QColor &accent, const QColor &header);

} // namespace chalk::ui::themes
