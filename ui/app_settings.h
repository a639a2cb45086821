// The desktop app's settings, each with its key, type and default (SettingValue), read and
// written through a SettingsStore (QSettings of organisation "Chalkroom", application
// "chalkroom", in the app). The client core's own settings (identity token, outbox) are in
// client/client_settings.h.
#pragma once

#include "client/setting_value.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace chalk::ui::settings {

using client::SettingValue;

inline const SettingValue<QString> server{"client/server"};             // last remote server used
inline const SettingValue<QString> lastRoom{"client/lastRoom"};         // re-entered at start
inline const SettingValue<int> theme{"ui/theme", 0};                    // 0..7
inline const SettingValue<bool> sound{"ui/sound", true};                // sounds on
inline const SettingValue<bool> doNotDisturb{"ui/doNotDisturb", false}; // no sounds, no notes
inline const SettingValue<QStringList> mutedRooms{"ui/mutedRooms"};     // room uuids
inline const SettingValue<QByteArray> geometry{"ui/geometry"};
inline const SettingValue<QByteArray> splitter{"ui/splitter"};
inline const SettingValue<int> leftTab{"ui/leftTab", 1};   // Rooms
inline const SettingValue<int> rightTab{"ui/rightTab", 0}; // Messages

} // namespace chalk::ui::settings
