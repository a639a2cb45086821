// One line a person can read for each statement in the Log tab ("Bob in Team: hi", "You
// entered Team", "Refused: enter a room first"), from the statement's name and payload. Rooms
// are named through a lookup (the uuid alone says nothing to a person). Secrets never reach
// it: the client logs frames with tokens and passwords redacted.
#pragma once

#include <QJsonObject>
#include <QString>
#include <functional>

namespace chalk::ui {

// The name of a room by its uuid; empty when unknown.
using RoomNameLookup = std::function<QString(const QString &uuid)>;

// `type` is "call", "result" or "error"; `sent` tells which way the statement went. Empty
// for a payload too big to summarise (a drawing): the statement's name says enough then.
QString logSummary(bool sent, const QString &type, const QString &name, const QJsonObject &payload,
                   const RoomNameLookup &roomName = {});

} // namespace chalk::ui
