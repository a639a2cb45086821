#include "direct_names.h"

#include "client/chat_client.h"
#include "client/room_list_model.h"

namespace chalk::ui {

using client::ChatClient;

DirectNames::DirectNames(client::ChatClient *client, client::RoomListModel *rooms, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_rooms(rooms)
{
    // The room model hears the client first (it was connected first): the partners are
    // refreshed from it before the names of the same statement are learnt.
    connect(rooms, &QAbstractItemModel::modelReset, this, &DirectNames::refreshPartners);
    connect(rooms, &QAbstractItemModel::rowsInserted, this, &DirectNames::refreshPartners);
    connect(rooms, &QAbstractItemModel::rowsRemoved, this, &DirectNames::refreshPartners);
    if (!client)
        return;
    connect(client, &ChatClient::roomsListed, this, [this](const QList<protocol::Room> &rooms) {
        for (const protocol::Room &room : rooms)
            learnFrom(room);
    });
    for (auto signal :
         {&ChatClient::roomCreated, &ChatClient::roomChanged, &ChatClient::roomEntered})
        connect(client, signal, this, &DirectNames::learnFrom);
    connect(client, &ChatClient::messageCreated, this,
            [this](const protocol::Message &m) { learn(m.user); });
    connect(client, &ChatClient::messagesListed, this,
            [this](const QList<protocol::Message> &messages) {
                for (const protocol::Message &m : messages)
                    learn(m.user);
            });
    refreshPartners();
}

QString DirectNames::otherMember(const protocol::Room &room) const
{
    if (!room.isDirect())
        return {};
    const QString self = m_client ? m_client->user().uuid : QString();
    for (const QString &uuid : room.members) {
        if (uuid != self)
            return uuid;
    }
    return {};
}

QString DirectNames::nameOf(const protocol::Room &room) const
{
    const QString other = otherMember(room);
    if (other.isEmpty())
        return room.name;
    for (const protocol::User &user : room.users) {
        if (user.uuid == other && !user.name.isEmpty())
            return user.name;
    }
    if (const auto it = m_names.constFind(other); it != m_names.cend())
        return *it;
    // Not heard yet: the server named it "<opener> & <other>" when it was opened.
    const QString self = m_client ? m_client->user().name : QString();
    const QString joint = QStringLiteral(" & ");
    if (!self.isEmpty() && room.name.startsWith(self + joint))
        return room.name.mid(self.size() + joint.size());
    if (!self.isEmpty() && room.name.endsWith(joint + self))
        return room.name.left(room.name.size() - self.size() - joint.size());
    return room.name;
}

void DirectNames::refreshPartners()
{
    QSet<QString> partners;
    for (int i = 0; i < m_rooms->rowCount(); ++i) {
        const QString other = otherMember(m_rooms->room(i));
        if (!other.isEmpty())
            partners.insert(other);
    }
    m_partners = std::move(partners);
    // Names of people no longer in the list are forgotten: the table stays that small.
    for (auto it = m_names.begin(); it != m_names.end();) {
        if (m_partners.contains(it.key()))
            ++it;
        else
            it = m_names.erase(it);
    }
}

void DirectNames::learnFrom(const protocol::Room &room)
{
    for (const protocol::User &user : room.users)
        learn(user);
}

void DirectNames::learn(const protocol::User &user)
{
    if (user.name.isEmpty() || !m_partners.contains(user.uuid))
        return;
    QString &name = m_names[user.uuid];
    if (name == user.name)
        return;
    name = user.name;
    emit changed();
}

} // namespace chalk::ui
