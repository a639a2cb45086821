// Handlers of the message calls: create_message, list_messages, typing (edits and deletes:
// own_message_handlers.cpp).
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"

namespace chalk::server {

using namespace chalk::protocol;

QJsonArray CallHandlers::messagesJson(const QList<Message> &messages)
{
    QJsonArray list;
    for (const Message &m : messages)
        list.append(m.toJson());
    return list;
}

// create_message
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::CreateMessage> req)
{
    if (const RoomPtr room = m_rooms.find(s->roomUuid());
        room && !co_await mayWriteIn(s, room, req))
        co_return;
    if (req.args.replyTo && !co_await mayReplyTo(s, req))
        co_return;
    Message m;
    m.uuid = newUuid();
    m.body = req.args.body;
    m.user = s->user();
    m.roomUuid = s->roomUuid();
    m.created = QDateTime::currentDateTimeUtc();
    m.clientId = req.clientId;
    m.replyTo = req.args.replyTo.value_or(QString());
    // Acknowledged only once stored.
    m_messagesInFlight.insert(m.uuid);
    const auto stored = co_await m_storage.addMessage(m);
    m_messagesInFlight.remove(m.uuid);
    if (!stored) {
        if (alive(s))
            Broadcaster::replyError(
                s, Error::StorageFailed,
                QStringLiteral("the message could not be stored; send it again"), req);
        co_return;
    }
    const Message &saved = stored->message;
    if (stored->duplicate) {
        // A resend of a message already stored: acknowledge again, to the sender only.
        if (alive(s))
            Broadcaster::reply(s, Result::MessageCreated, object(saved.toJson(true)), req.clientId);
        co_return;
    }
    const RoomPtr r = m_rooms.find(saved.roomUuid);
    if (!r)
        co_return;
    ++r->room.sum;
    countMessage(saved);
    m_rooms.markChanged(r->room.uuid, false);
    // Members get one shared frame; the sender's copy carries its client_id. The sender is
    // acknowledged even if it left the room while the message was being stored.
    Session *const sender = ifAlive(s);
    const bool ownCopy = sender && !req.clientId.isEmpty();
    const WireFrame shared =
        Broadcaster::frame(Result::MessageCreated, object(saved.toJson(false)));
    for (Session *member : std::as_const(r->members)) {
        if (!(ownCopy && member == sender))
            member->send(shared, saved.uuid);
    }
    if (ownCopy)
        Broadcaster::reply(sender, Result::MessageCreated, object(saved.toJson(true)),
                           req.clientId);
    else if (sender && !r->members.contains(sender))
        sender->send(shared, saved.uuid);
}

// list_messages
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ListMessages> req)
{
    const QString before = req.args.before.value_or(QString());
    const int limit = req.args.limit.value_or(m_options.limits.pageDefault);
    const auto page = co_await m_storage.listMessages(
        s->roomUuid(), before, std::clamp(limit, 1, m_options.limits.pageMax));
    if (!alive(s))
        co_return;
    if (!page) {
        if (!before.isEmpty())
            Broadcaster::replyError(s, Error::NoSuchMessage,
                                    QStringLiteral("no message with that uuid here"), req,
                                    QStringLiteral("before"));
        else
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the history could not be read"), req);
        co_return;
    }
    QJsonObject fields{{QStringLiteral("list"), messagesJson(page->messages)},
                       {QStringLiteral("has_more"), page->hasMore}};
    if (!before.isEmpty())
        fields.insert(QStringLiteral("before"), before);
    Broadcaster::reply(s, Result::MessagesListed, fields, req.clientId);
}

// typing
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Typing> req)
{
    const RoomPtr r = m_rooms.find(s->roomUuid());
    if (!r) {
        Broadcaster::replyError(s, Error::NoSelectedRoom, QStringLiteral("enter a room first"),
                                req);
        co_return;
    }
    QList<Session *> others = r->members;
    others.removeAll(s.data());
    Broadcaster::fanOut(others, Result::UserTyping, object(s->user().toJson()), nullptr, {});
    co_return;
}

} // namespace chalk::server
