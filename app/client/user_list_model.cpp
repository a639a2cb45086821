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
    connect(client->presence(), &PresenceBook::changed, this, &UserListModel::presenceChanged);
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
    case LastSeenRole: {
        // A member is connected: online until the server says otherwise.
        const PresenceBook::State p =
            m_client ? m_client->presence()->state(u.uuid) : PresenceBook::State();
        const bool online = !p.known || p.online;
        if (role == OnlineRole)
            return online;
        return online || !p.lastSeen.isValid() ? QVariant() : QVariant(p.lastSeen);
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
    m_users = users; // ChatClient marks them online in its PresenceBook
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

void UserListModel::presenceChanged(const QList<QString> &userUuids)
{
    for (qsizetype row = 0; row < m_users.size(); ++row) {
        if (userUuids.contains(m_users[row].uuid))
            emit dataChanged(index(int(row)), index(int(row)), {OnlineRole, LastSeenRole});
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
