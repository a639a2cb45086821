#include "user_list_model.h"

#include "chat_client.h"

namespace chalk::client {

UserListModel::UserListModel(ChatClient *client, QObject *parent)
    : QAbstractListModel(parent)
    , m_client(client)
{
    if (!client)
        return;
    m_self = client->user().uuid;
    connect(client, &ChatClient::userChanged, this, &UserListModel::setSelf);
    connect(client, &ChatClient::roomEntered, this, [this](const protocol::Room &room) {
        setRoom(room); // the original's room_entered has no members: room_changed follows
    });
    connect(client, &ChatClient::roomChanged, this, &UserListModel::updateRoom);
    connect(client, &ChatClient::presenceChanged, this, &UserListModel::updatePresence);
    connect(client, &ChatClient::usersListed, this,
            [this](const QList<protocol::UserPresence> &users) { updatePresence(users); });
    connect(client, &ChatClient::roomLeft, this, &UserListModel::clear);
    connect(client, &ChatClient::roomDeleted, this, [this](const protocol::Room &room) {
        if (room.uuid == m_room)
            clear();
    });
}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_users.size())
        return {};
    const protocol::User &u = m_users[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return u.name;
    case UuidRole:
        return u.uuid;
    case IsSelfRole:
        return !m_self.isEmpty() && u.uuid == m_self;
    case OnlineRole:
        return m_presence.value(u.uuid).online;
    case LastSeenRole: {
        const Presence p = m_presence.value(u.uuid);
        return p.online ? QVariant() : QVariant(p.lastSeen);
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> UserListModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"}, {UuidRole, "uuid"},     {NameRole, "name"},
            {IsSelfRole, "isSelf"},       {OnlineRole, "online"}, {LastSeenRole, "lastSeen"}};
}

void UserListModel::setRoom(const protocol::Room &room)
{
    beginResetModel();
    m_room = room.uuid;
    setMembers(room.users);
    endResetModel();
}

void UserListModel::setMembers(const QList<protocol::User> &users)
{
    m_users = users;
    // The server lists a member only while one of its devices is in the room: online, even if
    // an earlier frame said otherwise (it came back).
    for (const protocol::User &u : users) {
        if (const auto it = m_presence.find(u.uuid); it != m_presence.end())
            it->online = true;
    }
}

void UserListModel::updateRoom(const protocol::Room &room)
{
    if (room.uuid.isEmpty() || room.uuid != m_room)
        return;
    // Small lists: a reset is simpler than a diff and views keep no per-row state here.
    beginResetModel();
    setMembers(room.users);
    endResetModel();
}

void UserListModel::setSelf(const protocol::User &user)
{
    m_self = user.uuid;
    if (!m_users.isEmpty())
        emit dataChanged(index(0), index(int(m_users.size()) - 1));
}

void UserListModel::updatePresence(const QList<protocol::UserPresence> &users)
{
    for (const protocol::UserPresence &p : users) {
        m_presence.insert(p.user.uuid, {p.online, p.lastSeen});
        for (qsizetype row = 0; row < m_users.size(); ++row) {
            if (m_users[row].uuid == p.user.uuid)
                emit dataChanged(index(int(row)), index(int(row)), {OnlineRole, LastSeenRole});
        }
    }
}

void UserListModel::clear()
{
    beginResetModel();
    m_room.clear();
    m_users.clear();
    endResetModel();
}

} // namespace chalk::client
