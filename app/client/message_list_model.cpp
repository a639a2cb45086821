#include "message_list_model.h"

#include "chat_client.h"
#include "protocol/limits.h"

namespace chalk::client {

MessageListModel::MessageListModel(ChatClient *client, QObject *parent)
    : QAbstractListModel(parent)
    , m_client(client)
{
    if (!client)
        return;
    m_pageSize = client->options().pageSize;
    connect(client, &ChatClient::roomEntered, this,
            [this](const protocol::Room &room) { setRoom(room.uuid); });
    connect(client, &ChatClient::roomLeft, this, [this] { setRoom({}); });
    connect(client, &ChatClient::roomDeleted, this, [this](const protocol::Room &room) {
        if (room.uuid == m_room)
            setRoom({});
    });
    connect(client, &ChatClient::messageCreated, this, &MessageListModel::addMessage);
    connect(client, &ChatClient::messagesListed, this, &MessageListModel::addPage);
    connect(client, &ChatClient::messageChanged, this, &MessageListModel::changeMessage);
    connect(client, &ChatClient::messageDeleted, this, &MessageListModel::deleteMessage);
    connect(client, &ChatClient::stateChanged, this, [this](ChatClient::State state) {
        if (state != ChatClient::State::Connected)
            m_fetching = false; // the page asked for will not come on this link
    });
    Outbox *outbox = client->outbox();
    connect(outbox, &Outbox::entryAdded, this, &MessageListModel::onEntryAdded);
    connect(outbox, &Outbox::entryStateChanged, this, &MessageListModel::onEntryStateChanged);
    connect(outbox, &Outbox::entryAcknowledged, this, &MessageListModel::onEntryAcknowledged);
    connect(outbox, &Outbox::entryFailed, this,
            [this](const OutboxEntry &entry) { onEntryFailed(entry); });
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size() + m_pending.size());
}

bool MessageListModel::isOwn(const protocol::Message &m) const
{
    return m_client && !m.user.uuid.isEmpty() && m.user.uuid == m_client->user().uuid;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount())
        return {};
    const int row = index.row();
    if (row < m_messages.size()) {
        const protocol::Message &m = m_messages[row];
        switch (role) {
        case Qt::DisplayRole:
            return m.deleted ? tr("Message deleted") : m.body;
        case BodyRole:
            return m.body;
        case EditedRole:
            return m.editedAt.isValid() && !m.deleted;
        case EditedAtRole:
            return m.editedAt;
        case DeletedRole:
            return m.deleted;
        case ReplyToRole:
            return m.replyTo;
        case ReplySenderRole:
            return m.replyToSender;
        case ReplyTextRole:
            return m.replyToText;
        case ReplyDeletedRole:
            return m.replyToDeleted;
        case UuidRole:
            return m.uuid;
        case SenderNameRole:
            return m.user.name;
        case SenderUuidRole:
            return m.user.uuid;
        case CreatedRole:
            return m.created;
        case OwnRole:
            return isOwn(m);
        case StateRole:
            return int(DeliveryState::Stored);
        case ClientIdRole:
            return m.clientId;
        default:
            return {};
        }
    }
    const OutboxEntry &e = m_pending[row - m_messages.size()];
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole:
        return e.body;
    case UuidRole:
        return QString();
    case SenderNameRole:
        return m_client ? m_client->user().name : QString();
    case SenderUuidRole:
        return m_client ? m_client->user().uuid : QString();
    case CreatedRole:
        return e.queued;
    case OwnRole:
        return true;
    case StateRole:
        return int(e.state);
    case ClientIdRole:
        return e.clientId;
    case EditedRole:
    case DeletedRole:
        return false;
    case ReplyToRole:
        return e.replyTo;
    case ReplySenderRole:
    case ReplyTextRole:
    case ReplyDeletedRole:
        return pendingQuote(e, role);
    default:
        return {};
    }
}

QVariant MessageListModel::pendingQuote(const OutboxEntry &e, int role) const
{
    const int row = e.replyTo.isEmpty() ? -1 : rowOf(e.replyTo);
    if (row < 0)
        return role == ReplyDeletedRole ? QVariant(false) : QVariant(QString());
    const protocol::Message &m = m_messages[row];
    if (role == ReplySenderRole)
        return m.user.name;
    if (role == ReplyDeletedRole)
        return m.deleted;
    return m.deleted ? QString() : protocol::quoteOf(m.body, protocol::Limits{}.replyQuote);
}

void MessageListModel::changeMessage(const protocol::Message &message)
{
    if (!message.roomUuid.isEmpty() && message.roomUuid != m_room)
        return;
    applyChange(message);
}

void MessageListModel::deleteMessage(const QString &roomUuid, const QString &messageUuid)
{
    const int row = roomUuid == m_room ? rowOf(messageUuid) : -1;
    if (row < 0)
        return;
    protocol::Message tomb = m_messages[row];
    tomb.deleted = true;
    tomb.body.clear();
    tomb.editedAt = {};
    tomb.replyTo.clear();
    tomb.replyToSender.clear();
    tomb.replyToText.clear();
    tomb.replyToDeleted = false;
    applyChange(tomb);
}

void MessageListModel::applyChange(const protocol::Message &message)
{
    const int row = rowOf(message.uuid);
    if (row < 0)
        return;
    protocol::Message &m = m_messages[row];
    if (m.body == message.body && m.editedAt == message.editedAt && m.deleted == message.deleted &&
        m.replyTo == message.replyTo && m.replyToText == message.replyToText &&
        m.replyToDeleted == message.replyToDeleted)
        return;
    const QString clientId = m.clientId; // the sender's own acknowledgement keeps it
    m = message;
    if (m.clientId.isEmpty())
        m.clientId = clientId;
    emit dataChanged(index(row), index(row));
    // The rows quoting it show it as it is now.
    const QString quote =
        m.deleted ? QString() : protocol::quoteOf(m.body, protocol::Limits{}.replyQuote);
    for (int i = 0; i < m_messages.size(); ++i) {
        protocol::Message &r = m_messages[i];
        if (r.replyTo != message.uuid || (r.replyToText == quote && r.replyToDeleted == m.deleted))
            continue;
        r.replyToText = quote;
        r.replyToDeleted = m.deleted;
        emit dataChanged(index(i), index(i), {ReplyTextRole, ReplyDeletedRole, Qt::DisplayRole});
    }
    for (int i = 0; i < m_pending.size(); ++i) {
        if (m_pending[i].replyTo == message.uuid) {
            const QModelIndex idx = index(int(m_messages.size()) + i);
            emit dataChanged(idx, idx, {ReplyTextRole, ReplyDeletedRole});
        }
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {UuidRole, "uuid"},
            {BodyRole, "body"},
            {SenderNameRole, "senderName"},
            {SenderUuidRole, "senderUuid"},
            {CreatedRole, "created"},
            {OwnRole, "own"},
            {StateRole, "state"},
            {ClientIdRole, "clientId"},
            {EditedRole, "edited"},
            {EditedAtRole, "editedAt"},
            {DeletedRole, "deleted"},
            {ReplyToRole, "replyTo"},
            {ReplySenderRole, "replySender"},
            {ReplyTextRole, "replyText"},
            {ReplyDeletedRole, "replyDeleted"}};
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || m_room.isEmpty() || !m_hasMore || m_fetching || m_messages.isEmpty())
        return false;
    return !m_client || m_client->isConnected();
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || !m_client)
        return;
    if (m_client->listMessages(m_messages.first().uuid, m_pageSize))
        m_fetching = true;
}

int MessageListModel::rowOf(const QString &uuid) const
{
    if (!m_uuids.contains(uuid))
        return -1;
    for (int i = 0; i < m_messages.size(); ++i) {
        if (m_messages[i].uuid == uuid)
            return i;
    }
    return -1;
}

void MessageListModel::setRoom(const QString &roomUuid)
{
    if (roomUuid == m_room)
        return; // re-entered after a reconnect: keep what is loaded, the newest page merges
    beginResetModel();
    m_room = roomUuid;
    m_messages.clear();
    m_uuids.clear();
    m_hasMore = false;
    m_fetching = false;
    m_pageSeen = false;
    m_pending.clear();
    if (m_client && !roomUuid.isEmpty())
        m_pending = m_client->outbox()->entriesForRoom(roomUuid, OutboxKind::Message);
    endResetModel();
}

void MessageListModel::clear()
{
    beginResetModel();
    m_messages.clear();
    m_uuids.clear();
    m_pending.clear();
    m_hasMore = false;
    m_fetching = false;
    m_pageSeen = false;
    endResetModel();
}

void MessageListModel::addMessage(const protocol::Message &message)
{
    if (m_room.isEmpty() || message.uuid.isEmpty() || m_uuids.contains(message.uuid))
        return;
    if (!message.roomUuid.isEmpty() && message.roomUuid != m_room)
        return;
    // Live messages go after the history, before the own messages still pending.
    const int row = int(m_messages.size());
    beginInsertRows({}, row, row);
    m_messages.append(message);
    m_uuids.insert(message.uuid);
    endInsertRows();
    emit messagesAppended(row, row);
}

void MessageListModel::addPage(const QList<protocol::Message> &messages, bool hasMore,
                               const QString &before)
{
    if (m_room.isEmpty())
        return;
    for (const protocol::Message &m : messages) {
        if (!m.roomUuid.isEmpty() && m.roomUuid != m_room)
            return; // a page of another room (a late answer after a switch)
    }
    QList<protocol::Message> fresh;
    fresh.reserve(messages.size());
    QSet<QString> inPage;
    for (const protocol::Message &m : messages) {
        if (!m.uuid.isEmpty() && !m_uuids.contains(m.uuid) && !inPage.contains(m.uuid)) {
            fresh.append(m);
            inPage.insert(m.uuid);
        }
    }

    if (!before.isEmpty()) {
        // An older page: only the answer to "before our oldest" fits at the top.
        if (m_messages.isEmpty() || before != m_messages.first().uuid)
            return;
        m_fetching = false;
        m_hasMore = hasMore;
        const int added = int(fresh.size());
        if (!fresh.isEmpty()) {
            // Rows are inserted at the top, so a view keeps showing what it showed.
            beginInsertRows({}, 0, int(fresh.size()) - 1);
            fresh.append(m_messages);
            m_messages = std::move(fresh);
            for (const protocol::Message &m : std::as_const(m_messages))
                m_uuids.insert(m.uuid);
            endInsertRows();
        }
        emit pagePrepended(added);
        return;
    }

    // The newest page: on entering, or again after a reconnect (fills what was missed).
    m_fetching = false;
    const bool firstPage = !m_pageSeen;
    if (m_messages.isEmpty()) {
        m_hasMore = hasMore;
        m_pageSeen = true;
        if (!fresh.isEmpty()) {
            beginInsertRows({}, 0, int(fresh.size()) - 1);
            m_messages = fresh;
            for (const protocol::Message &m : std::as_const(m_messages))
                m_uuids.insert(m.uuid);
            endInsertRows();
        }
        emit newestPageLoaded();
        return;
    }
    // Index of the newest message of the page that is already loaded.
    qsizetype lastKnown = -1;
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        if (m_uuids.contains(messages[i].uuid)) {
            lastKnown = i;
            break;
        }
    }
    if (lastKnown < 0 && !messages.isEmpty()) {
        // More was missed than one page holds: start again from the newest page, rather
        // than leave a hole in the history.
        beginResetModel();
        m_messages = fresh;
        m_uuids.clear();
        for (const protocol::Message &m : std::as_const(m_messages))
            m_uuids.insert(m.uuid);
        m_hasMore = hasMore;
        endResetModel();
        m_pageSeen = true;
        emit newestPageLoaded();
        return;
    }
    // Known messages come as they are now: edits and deletes missed while offline.
    for (qsizetype i = 0; i <= lastKnown; ++i)
        applyChange(messages[i]);
    QList<protocol::Message> newer;
    for (qsizetype i = lastKnown + 1; i < messages.size(); ++i) {
        if (!m_uuids.contains(messages[i].uuid))
            newer.append(messages[i]);
    }
    m_pageSeen = true;
    if (!newer.isEmpty()) {
        const int first = int(m_messages.size());
        beginInsertRows({}, first, first + int(newer.size()) - 1);
        for (const protocol::Message &m : std::as_const(newer)) {
            m_messages.append(m);
            m_uuids.insert(m.uuid);
        }
        endInsertRows();
        emit messagesAppended(first, first + int(newer.size()) - 1);
    }
    if (firstPage)
        emit newestPageLoaded();
}

int MessageListModel::pendingIndex(const QString &clientId) const
{
    for (int i = 0; i < m_pending.size(); ++i) {
        if (m_pending[i].clientId == clientId)
            return i;
    }
    return -1;
}

void MessageListModel::onEntryAdded(const OutboxEntry &entry)
{
    // The board's strokes share the outbox; only messages are rows here.
    if (entry.kind != OutboxKind::Message || entry.roomUuid != m_room || m_room.isEmpty())
        return;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_pending.append(entry);
    endInsertRows();
}

void MessageListModel::onEntryStateChanged(const OutboxEntry &entry)
{
    const int i = pendingIndex(entry.clientId);
    if (i < 0)
        return;
    m_pending[i] = entry;
    const QModelIndex idx = index(int(m_messages.size()) + i);
    emit dataChanged(idx, idx, {StateRole});
}

void MessageListModel::onEntryAcknowledged(const OutboxEntry &entry,
                                           const protocol::Message &message)
{
    const int i = pendingIndex(entry.clientId);
    if (i < 0)
        return; // not shown here; messageCreated adds it if it belongs to this room
    const int row = int(m_messages.size()) + i;
    if (m_uuids.contains(message.uuid) || message.uuid.isEmpty()) {
        beginRemoveRows({}, row, row);
        m_pending.removeAt(i);
        endRemoveRows();
        return;
    }
    protocol::Message stored = message;
    if (stored.clientId.isEmpty())
        stored.clientId = entry.clientId;
    if (i == 0) {
        // The oldest pending row becomes the newest stored one: same row, replaced in place.
        m_pending.removeFirst();
        m_messages.append(stored);
        m_uuids.insert(stored.uuid);
        emit dataChanged(index(row), index(row));
        return;
    }
    beginRemoveRows({}, row, row);
    m_pending.removeAt(i);
    endRemoveRows();
    const int at = int(m_messages.size());
    beginInsertRows({}, at, at);
    m_messages.append(stored);
    m_uuids.insert(stored.uuid);
    endInsertRows();
}

void MessageListModel::onEntryFailed(const OutboxEntry &entry)
{
    const int i = pendingIndex(entry.clientId);
    if (i < 0)
        return;
    const int row = int(m_messages.size()) + i;
    beginRemoveRows({}, row, row);
    m_pending.removeAt(i);
    endRemoveRows();
}

void MessageListModel::reloadPending()
{
    if (!m_client)
        return;
    beginResetModel();
    m_pending = m_client->outbox()->entriesForRoom(m_room, OutboxKind::Message);
    endResetModel();
}

} // namespace chalk::client
