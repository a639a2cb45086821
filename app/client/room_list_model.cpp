#include "room_list_model.h"

#include "chat_client.h"

namespace chalk::client {

RoomListModel::RoomListModel(ChatClient *client, QObject *parent)
    : QAbstractListModel(parent)
{
    if (!client)
        return;
    connect(client, &ChatClient::roomsListed, this, &RoomListModel::setRooms);
    connect(client, &ChatClient::roomCreated, this, &RoomListModel::upsertRoom);
    connect(client, &ChatClient::roomChanged, this, &RoomListModel::upsertRoom);
    connect(client, &ChatClient::roomDeleted, this,
            [this](const protocol::Room &room) { removeRoom(room.uuid); });
    connect(client, &ChatClient::roomEntered, this, [this](const protocol::Room &room) {
        if (!room.name.isEmpty()) // the original's room_entered carries no room
            upsertRoom(room);
        setCurrentRoom(room.uuid);
    });
    connect(client, &ChatClient::roomLeft, this, [this] { setCurrentRoom({}); });
    connect(client, &ChatClient::messageCreated, this, &RoomListModel::countMessage);
    connect(client, &ChatClient::unreadChanged, this, &RoomListModel::setUnread);
}

void RoomListModel::countMessage(const protocol::Message &message)
{
    // Seen as it arrives in the open room: its count is current at once, and the coalesced
    // room_changed that comes later (maybe after the user moved on) adds nothing unread.
    const int i = message.roomUuid == m_current ? indexOf(m_current) : -1;
    if (i < 0)
        return;
    Entry &e = m_rooms[i];
    e.seenSum = std::max(e.seenSum, e.room.sum) + 1;
    e.room.sum = e.seenSum;
    emit dataChanged(index(i), index(i));
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

qint64 RoomListModel::unread(const Entry &e) const
{
    if (e.room.uuid == m_current)
        return 0; // being read: the client marks it read (ReadTracker)
    if (e.room.unread)
        return *e.room.unread;
    return std::max<qint64>(0, e.room.sum - e.seenSum);
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rooms.size())
        return {};
    const Entry &e = m_rooms[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return e.room.name;
    case Qt::ToolTipRole:
        return tr("%1 — %n member(s)", nullptr, int(e.room.users.size())).arg(e.room.name);
    case UuidRole:
        return e.room.uuid;
    case ColorRole:
        return e.room.color;
    case MemberCountRole:
        return int(e.room.users.size());
    case SumRole:
        return e.room.sum;
    case UnreadRole:
        return unread(e);
    case CreatedRole:
        return e.room.created;
    case CurrentRole:
        return e.room.uuid == m_current;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"},
            {UuidRole, "uuid"},
            {NameRole, "name"},
            {ColorRole, "color"},
            {MemberCountRole, "memberCount"},
            {SumRole, "sum"},
            {UnreadRole, "unread"},
            {CreatedRole, "created"},
            {CurrentRole, "current"}};
}

int RoomListModel::indexOf(const QString &uuid) const
{
    for (int i = 0; i < m_rooms.size(); ++i) {
        if (m_rooms[i].room.uuid == uuid)
            return i;
    }
    return -1;
}

protocol::Room RoomListModel::room(int row) const
{
    return row >= 0 && row < m_rooms.size() ? m_rooms[row].room : protocol::Room{};
}

std::optional<protocol::Room> RoomListModel::roomByUuid(const QString &uuid) const
{
    const int i = indexOf(uuid);
    if (i < 0)
        return std::nullopt;
    return m_rooms[i].room;
}

void RoomListModel::setRooms(const QList<protocol::Room> &rooms)
{
    // A relisting (after a reconnect) keeps what the user has seen, so unread counts show
    // what arrived while away.
    QHash<QString, qint64> seen;
    for (const Entry &e : std::as_const(m_rooms))
        seen.insert(e.room.uuid, e.seenSum);
    beginResetModel();
    m_rooms.clear();
    m_rooms.reserve(rooms.size());
    for (const protocol::Room &r : rooms) {
        if (r.uuid.isEmpty())
            continue;
        Entry e{r, seen.value(r.uuid, r.sum)};
        if (r.uuid == m_current)
            e.seenSum = r.sum;
        m_rooms.append(e);
    }
    endResetModel();
}

void RoomListModel::upsertRoom(const protocol::Room &room)
{
    if (room.uuid.isEmpty())
        return;
    const int i = indexOf(room.uuid);
    if (i < 0) {
        beginInsertRows({}, int(m_rooms.size()), int(m_rooms.size()));
        m_rooms.append(Entry{room, room.sum});
        endInsertRows();
        return;
    }
    Entry &e = m_rooms[i];
    protocol::Room updated = room;
    if (!updated.created.isValid())
        updated.created = e.room.created; // the original server sends no creation time
    if (!updated.unread)
        updated.unread = e.room.unread; // room_entered and room_created carry no count
    if (room.uuid == m_current) {
        // A room_changed coalesced before the latest messages can say less than they did.
        updated.sum = std::max(updated.sum, e.seenSum);
        e.seenSum = updated.sum;
    }
    e.room = updated;
    emit dataChanged(index(i), index(i));
}

void RoomListModel::setUnread(const QString &uuid, qint64 unread)
{
    const int i = indexOf(uuid);
    if (i < 0)
        return;
    m_rooms[i].room.unread = unread;
    emit dataChanged(index(i), index(i));
}

void RoomListModel::removeRoom(const QString &uuid)
{
    const int i = indexOf(uuid);
    if (i < 0)
        return;
    beginRemoveRows({}, i, i);
    m_rooms.removeAt(i);
    endRemoveRows();
    if (uuid == m_current)
        m_current.clear();
}

void RoomListModel::setCurrentRoom(const QString &uuid)
{
    if (uuid == m_current)
        return;
    const int old = indexOf(m_current);
    m_current = uuid;
    if (old >= 0) {
        m_rooms[old].seenSum = std::max(m_rooms[old].seenSum, m_rooms[old].room.sum);
        // Seen while it was open: the client marks it read on leaving (ReadTracker); the
        // server's answer confirms the 0.
        if (m_rooms[old].room.unread)
            m_rooms[old].room.unread = 0;
        emit dataChanged(index(old), index(old));
    }
    const int now = indexOf(uuid);
    if (now >= 0) {
        m_rooms[now].seenSum = m_rooms[now].room.sum;
        emit dataChanged(index(now), index(now));
    }
}

void RoomListModel::clear()
{
    beginResetModel();
    m_rooms.clear();
    m_current.clear();
    endResetModel();
}

} // namespace chalk::client
