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
// "account" once signed in or registered, "anonymous" once "Continue anonymously" or Sign out
// was chosen; unset at first. An account lost without signing out opens the sign-in dialog.
inline const SettingValue<QString> accountChoice{"ui/accountChoice"};
// The server (scheme://host:port) of that account: another server's anonymous identity is no
// lost account.
inline const SettingValue<QString> accountServer{"ui/accountServer"};
// Users this user blocked, as "own uuid/their uuid" (the server keeps blocks but does not list
// them; this is what the Users menu shows as blocked). At most kMaxBlockedKept entries.
inline const SettingValue<QStringList> blockedUsers{"ui/blockedUsers"};
inline const SettingValue<int> leftTab{"ui/leftTab", 1};   // Rooms
inline const SettingValue<int> rightTab{"ui/rightTab", 0}; // Messages

} // namespace chalk::ui::settings
