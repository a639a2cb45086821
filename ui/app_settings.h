// QSettings keys of the desktop app (organisation "Chalkroom", application "chalkroom").
// The identity token is kept by ChatClient itself (ChatClient::kTokenKey).
#pragma once

namespace chalk::ui::settings {

inline constexpr const char *kServer = "client/server";     // last remote server used
inline constexpr const char *kLastRoom = "client/lastRoom"; // re-entered at start
inline constexpr const char *kTheme = "ui/theme";           // 0..7
inline constexpr const char *kSound = "ui/sound";           // bool: sounds on
inline constexpr const char *kGeometry = "ui/geometry";
inline constexpr const char *kWindowState = "ui/windowState";
inline constexpr const char *kSplitter = "ui/splitter";
inline constexpr const char *kLeftTab = "ui/leftTab";
inline constexpr const char *kRightTab = "ui/rightTab";

} // namespace chalk::ui::settings
