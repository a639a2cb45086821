// Writing statements: each frame is encoded once and the same bytes go to every recipient;
// answers to a caller carry its client_id. Not for deciding who is in a room (RoomRegistry)
// nor for how bytes reach a socket (Session, WriteQueue).
#pragma once

#include "protocol/codec.h"
#include "wire_frame.h"

#include <QJsonObject>
#include <QList>

namespace chalk::server {

class Session;

class Broadcaster {
public:
    // `connections`: every session the server holds (ServerCore's list, read only).
    explicit Broadcaster(const QList<Session *> &connections)
        : m_connections(connections)
    {}

    static WireFrame frame(protocol::Result result, QJsonObject fields);
    // An answer to `s`'s own call: `clientId` echoed, never held back.
    static void reply(Session *s, protocol::Result result, QJsonObject fields,
                      const QString &clientId);
    // An error answering `call` (its name and `clientId` go into the error).
    static void replyError(Session *s, protocol::Error error, const QString &detail,
                           protocol::Call call, const QString &clientId, const QString &field = {});
    template <protocol::Call C>
    static void replyError(Session *s, protocol::Error error, const QString &detail,
                           const protocol::Request<C> &req, const QString &field = {})
    {
        replyError(s, error, detail, C, req.clientId, field);
    }
    // An error that answers no call (a binary frame, a full inbox, the password request).
    static void sendError(Session *s, protocol::Error error, const QString &detail);
    // Sends `fields` to `recipients`; the caller (if among them and it gave a client_id) gets
    // its own copy with the client_id echoed.
    static void fanOut(const QList<Session *> &recipients, protocol::Result result,
                       const QJsonObject &fields, Session *caller, const QString &clientId,
                       const QString &messageUuid = {});

    // The sessions broadcasts reach: authenticated and open.
    QList<Session *> everyone() const;

private:
    const QList<Session *> &m_connections;
};

} // namespace chalk::server
