// Own messages: edit_message, delete_message, and the reply_to check of create_message
// (docs/SERVER.md "Own messages"). Only a message's author may change it; the room's members
// see the change at once (message_changed, message_deleted) and in history afterwards.
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"

namespace chalk::server {

using namespace chalk::protocol;

template <Call C>
QCoro::Task<std::optional<CallHandlers::NamedMessage>>
CallHandlers::namedMessage(SessionPtr s, QString uuid, const Request<C> &req, QString field)
{
    const MessageLookup found = co_await m_storage.messageByUuid(uuid);
    if (!alive(s))
        co_return std::nullopt;
    if (found.failed) {
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("the message could not be read"), req);
        co_return std::nullopt;
    }
    const RoomPtr r = found.message ? m_rooms.find(found.message->roomUuid) : RoomPtr();
    if (!r || r->deleting) {
        Broadcaster::replyError(s, Error::NoSuchMessage,
                                QStringLiteral("no message with that uuid"), req, field);
        co_return std::nullopt;
    }
    // Before the author check: someone outside a direct conversation learns nothing more.
    if (!r->admits(s->user().uuid)) {
        Broadcaster::replyError(s, Error::NotAMember,
                                QStringLiteral("a message of a direct conversation of two other "
                                               "users"),
                                req, field);
        co_return std::nullopt;
    }
    co_return NamedMessage{*found.message, r};
}

QCoro::Task<bool> CallHandlers::mayReplyTo(SessionPtr s, const Request<Call::CreateMessage> &req)
{
    const QString field = QStringLiteral("reply_to");
    const auto named = co_await namedMessage(s, *req.args.replyTo, req, field);
    if (!named)
        co_return false;
    // A reply quotes a message of its own room: one elsewhere is not there to be quoted.
    if (named->room->room.uuid != s->roomUuid()) {
        Broadcaster::replyError(s, Error::NoSuchMessage,
                                QStringLiteral("no message with that uuid in this room"), req,
                                field);
        co_return false;
    }
    if (named->message.deleted) {
        Broadcaster::replyError(s, Error::AlreadyDeleted,
                                QStringLiteral("that message was deleted"), req, field);
        co_return false;
    }
    co_return true;
}

void CallHandlers::toRoomAndCaller(Session *caller, const RoomState &room, Result result,
                                   const QJsonObject &fields, const QString &clientId)
{
    QList<Session *> recipients = room.members;
    if (caller && !recipients.contains(caller))
        recipients.append(caller);
    Broadcaster::fanOut(recipients, result, fields, caller, clientId);
}

// Answers the refusals editMessage and deleteMessage share; true when there was one.
template <Call C> static bool refused(Session *s, MessageChange result, const Request<C> &req)
{
    const QString field = QStringLiteral("message_uuid");
    switch (result) {
    case MessageChange::Changed:
        return false;
    case MessageChange::NoSuchMessage:
        Broadcaster::replyError(s, Error::NoSuchMessage,
                                QStringLiteral("no message with that uuid"), req, field);
        return true;
    case MessageChange::NotYours:
        Broadcaster::replyError(s, Error::NotYourMessage,
                                QStringLiteral("only its author may change a message"), req, field);
        return true;
    case MessageChange::Deleted:
        Broadcaster::replyError(s, Error::AlreadyDeleted,
                                QStringLiteral("that message was deleted"), req, field);
        return true;
    case MessageChange::Failed:
        break;
    }
    Broadcaster::replyError(s, Error::StorageFailed,
                            QStringLiteral("the change could not be stored; try again"), req);
    return true;
}

// edit_message
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::EditMessage> req)
{
    const QString uuid = req.args.messageUuid;
    const auto named = co_await namedMessage(s, uuid, req, QStringLiteral("message_uuid"));
    if (!named)
        co_return;
    const QString me = s->user().uuid;
    // Refused here without a write; storage checks the same again (a delete may come between).
    if (named->message.user.uuid != me) {
        refused(s.data(), MessageChange::NotYours, req);
        co_return;
    }
    if (named->message.deleted) {
        refused(s.data(), MessageChange::Deleted, req);
        co_return;
    }
    if (!co_await mayWriteIn(s, named->room, req))
        co_return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const ChangedMessage changed = co_await m_storage.editMessage(uuid, me, req.args.body, now);
    if (!alive(s))
        co_return;
    if (refused(s.data(), changed.result, req))
        co_return;
    const RoomPtr r = m_rooms.find(changed.message.roomUuid);
    if (!r) {
        Broadcaster::reply(s, Result::MessageChanged, object(changed.message.toJson()),
                           req.clientId);
        co_return;
    }
    toRoomAndCaller(s.data(), *r, Result::MessageChanged, object(changed.message.toJson()),
                    req.clientId);
}

// delete_message
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::DeleteMessage> req)
{
    const QString uuid = req.args.messageUuid;
    const auto named = co_await namedMessage(s, uuid, req, QStringLiteral("message_uuid"));
    if (!named)
        co_return;
    const QString me = s->user().uuid;
    const QString room = named->room->room.uuid;
    const QJsonObject fields{{QStringLiteral("room_uuid"), room},
                             {QStringLiteral("message_uuid"), uuid}};
    if (named->message.user.uuid != me) {
        refused(s.data(), MessageChange::NotYours, req);
        co_return;
    }
    // No temporary inside the co_await expression (GCC 12, docs/ARCHITECTURE.md).
    ChangedMessage changed{MessageChange::Deleted, named->message};
    if (!named->message.deleted)
        changed = co_await m_storage.deleteMessage(uuid, me);
    if (!alive(s))
        co_return;
    // Deleted before (a resend after a lost answer): the same answer again, to the caller only.
    if (changed.result == MessageChange::Deleted) {
        Broadcaster::reply(s, Result::MessageDeleted, fields, req.clientId);
        co_return;
    }
    if (refused(s.data(), changed.result, req))
        co_return;
    if (const RoomPtr r = m_rooms.find(room))
        toRoomAndCaller(s.data(), *r, Result::MessageDeleted, fields, req.clientId);
    else
        Broadcaster::reply(s, Result::MessageDeleted, fields, req.clientId);
    co_await recountAfterDelete(room, me);
}

QCoro::Task<void> CallHandlers::recountAfterDelete(QString roomUuid, QString author)
{
    // Only those with something unread can have counted it (their marker is before it).
    // One storage read each; a delete is rare next to the messages that count up in memory.
    const QStringList users = m_unread.countingFollowers(roomUuid, author);
    for (const QString &user : users)
        co_await m_unread.refresh(user, roomUuid);
    if (!users.isEmpty() && m_rooms.find(roomUuid))
        m_rooms.markChanged(roomUuid, false);
}

} // namespace chalk::server
