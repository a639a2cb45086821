#include "blocked_users.h"

#include "app_settings.h"
#include "client/chat_client.h"
#include "client/settings_store.h"

#include <QAction>
#include <QMenu>

namespace chalk::ui {

BlockedUsers::BlockedUsers(client::ChatClient *client,
                           std::shared_ptr<client::SettingsStore> settings, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_settings(std::move(settings))
{
    if (client) {
        connect(client, &client::ChatClient::userBlocked, this,
                [this](const QString &uuid) { setBlocked(uuid, true); });
        connect(client, &client::ChatClient::userUnblocked, this,
                [this](const QString &uuid) { setBlocked(uuid, false); });
    }
}

QString BlockedUsers::key(const QString &userUuid) const
{
    return (m_client ? m_client->user().uuid : QString()) + QLatin1Char('/') + userUuid;
}

bool BlockedUsers::isBlocked(const QString &userUuid) const
{
    return settings::blockedUsers.get(*m_settings).contains(key(userUuid));
}

void BlockedUsers::setBlocked(const QString &userUuid, bool blocked)
{
    QStringList list = settings::blockedUsers.get(*m_settings);
    const QString k = key(userUuid);
    list.removeAll(k);
    if (blocked)
        list.append(k);
    while (list.size() > kMaxKept)
        list.removeFirst();
    settings::blockedUsers.set(*m_settings, list);
    emit changed();
}

void BlockedUsers::addActionsTo(QMenu *menu, const QString &userUuid)
{
    if (!m_client || userUuid.isEmpty() || userUuid == m_client->user().uuid)
        return;
    const bool connected = m_client->isConnected();
    QPointer<client::ChatClient> c = m_client;
    QAction *action;
    if (isBlocked(userUuid)) {
        action = menu->addAction(tr("&Unblock"), this, [c, userUuid] {
            if (c)
                c->unblockUser(userUuid);
        });
        action->setObjectName(QStringLiteral("UnblockUserAction"));
        action->setToolTip(tr("Let this person message you again"));
    } else {
        action = menu->addAction(tr("&Block"), this, [c, userUuid] {
            if (c)
                c->blockUser(userUuid);
        });
        action->setObjectName(QStringLiteral("BlockUserAction"));
        action->setToolTip(tr("This person can no longer message you directly"));
    }
    action->setEnabled(connected);
}

} // namespace chalk::ui
