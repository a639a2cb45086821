// The client core's settings, each with its key, type and default (SettingValue). The
// desktop app's own settings are in ui/app_settings.h.
#pragma once

#include "setting_value.h"

#include <QString>
#include <QVariantList>

namespace chalk::client::settings {

// The resume token of the identity, and the server origin (scheme://host) it is for.
inline const SettingValue<QString> identityToken{"identity/token"};
inline const SettingValue<QString> identityServer{"identity/server"};
// Unsent messages survive a restart of the app (sent with the same client_id later): one
// QVariantMap per message (OutboxStore), for the server origin in outboxServer. Before issue 9
// the list was a JSON array inside a string; OutboxStore migrates that once.
inline const SettingValue<QVariantList> outboxEntries{"outbox/entries"};
inline const SettingValue<QString> outboxServer{"outbox/server"};

} // namespace chalk::client::settings
