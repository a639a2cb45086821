// MemoryStorage's messages: storing, history pages, and their authors' edits and deletes.
#include "memory_storage.h"
#include "storage_rules.h"

#include <algorithm>

namespace chalk::server {

using protocol::Message;

Message *MemoryStorage::findMessage(const QString &uuid)
{
    RoomData *r = findRoom(m_messageRoom.value(uuid));
    if (!r)
        return nullptr;
    const auto it = std::find_if(r->messages.begin(), r->messages.end(),
                                 [&](const Message &m) { return m.uuid == uuid; });
    return it == r->messages.end() ? nullptr : &*it;
}

Message MemoryStorage::withQuote(Message m)
{
    if (m.replyTo.isEmpty())
        return m;
    if (const Message *original = findMessage(m.replyTo))
        storage_rules::setQuote(m, original->user.name, original->body, original->deleted);
    return m;
}

QCoro::Task<std::optional<StoredMessage>> MemoryStorage::addMessage(Message message)
{
    if (!message.clientId.isEmpty()) {
        const QString existing = m_clientIds.value({message.user.uuid, message.clientId});
        if (!existing.isEmpty()) {
            RoomData *r = findRoom(m_messageRoom.value(existing));
            for (const Message &m : r->messages)
                if (m.uuid == existing)
                    co_return StoredMessage{withQuote(m), true};
        }
    }
    RoomData *r = findRoom(message.roomUuid);
    if (!r) {
        m_error = QStringLiteral("no room %1").arg(message.roomUuid);
        co_return std::nullopt;
    }
    storage_rules::normalizeNewMessage(message);
    if (m_messageRoom.contains(message.uuid)) {
        m_error = QStringLiteral("message %1 exists").arg(message.uuid);
        co_return std::nullopt;
    }
    message.seq = m_nextSeq++;
    r->messages.append(message);
    m_messageRoom.insert(message.uuid, message.roomUuid);
    if (!message.clientId.isEmpty())
        m_clientIds.insert({message.user.uuid, message.clientId}, message.uuid);
    co_return StoredMessage{withQuote(message), false};
}

QCoro::Task<std::optional<MessagePage>> MemoryStorage::listMessages(QString roomUuid,
                                                                    QString beforeUuid, int limit)
{
    limit = storage_rules::clampLimit(limit);
    RoomData *r = findRoom(roomUuid);
    if (!r) {
        // Same as SQL: a room without rows pages as empty, unless `before` names something.
        if (!beforeUuid.isEmpty())
            co_return std::nullopt;
        co_return MessagePage{};
    }
    const QList<Message> &all = r->messages;
    qsizetype end = all.size(); // one past the newest message to return
    if (!beforeUuid.isEmpty()) {
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const Message &m) { return m.uuid == beforeUuid; });
        if (it == all.end()) {
            m_error = QStringLiteral("no message %1 in room %2").arg(beforeUuid, roomUuid);
            co_return std::nullopt;
        }
        end = it - all.begin();
    }
    const qsizetype begin = std::max<qsizetype>(0, end - limit);
    MessagePage page;
    page.messages.reserve(end - begin);
    for (qsizetype i = begin; i < end; ++i)
        page.messages.append(withQuote(all.at(i)));
    page.hasMore = begin > 0;
    co_return page;
}

QCoro::Task<MessageLookup> MemoryStorage::messageByUuid(QString messageUuid)
{
    const Message *m = findMessage(messageUuid);
    co_return MessageLookup{false, m ? std::optional(withQuote(*m)) : std::nullopt};
}

ChangedMessage MemoryStorage::changeMessage(const QString &uuid, const QString &author,
                                            const std::optional<QString> &newBody,
                                            const QDateTime &when)
{
    Message *m = findMessage(uuid);
    if (!m)
        return {MessageChange::NoSuchMessage, {}};
    if (m->user.uuid != author)
        return {MessageChange::NotYours, {}};
    if (m->deleted)
        return {MessageChange::Deleted, withQuote(*m)};
    if (newBody) {
        m->body = *newBody;
        m->editedAt = storage_rules::normalizedTime(when);
    } else {
        // A tombstone keeps nothing of what was said: body, edit time and reply go.
        m->body.clear();
        m->editedAt = {};
        m->deleted = true;
        m->replyTo.clear();
    }
    return {MessageChange::Changed, withQuote(*m)};
}

QCoro::Task<ChangedMessage> MemoryStorage::editMessage(QString messageUuid, QString authorUuid,
                                                       QString body, QDateTime when)
{
    co_return changeMessage(messageUuid, authorUuid, body, when);
}

QCoro::Task<ChangedMessage> MemoryStorage::deleteMessage(QString messageUuid, QString authorUuid)
{
    co_return changeMessage(messageUuid, authorUuid, std::nullopt, {});
}

} // namespace chalk::server
