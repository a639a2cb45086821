#include "attention.h"

#include "app_settings.h"
#include "client/chat_client.h"
#include "client/room_list_model.h"
#include "notifier.h"
#include "sound_player.h"
#include "ui_logging.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QWidget>

namespace chalk::ui {

using client::ChatClient;

Attention::Attention(ChatClient *client, client::RoomListModel *rooms, SoundPlayer *sounds,
                     std::shared_ptr<client::SettingsStore> settings, QWidget *window)
    : QObject(window)
    , m_client(client)
    , m_rooms(rooms)
    , m_sounds(sounds)
    , m_settings(std::move(settings))
    , m_window(window)
    , m_windowActive([window] { return window->isActiveWindow(); })
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/chalkroom.png")), this);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
        m_tray->show();
    }
    setNotifier(createSystemNotifier(m_tray));
    if (m_client) {
        connect(m_client, &ChatClient::messageCreated, this, &Attention::onMessageCreated);
        connect(m_client, &ChatClient::roomsListed, this, &Attention::onRoomsListed);
        connect(m_client, &ChatClient::roomCreated, this, &Attention::onRoomChanged);
        connect(m_client, &ChatClient::roomChanged, this, &Attention::onRoomChanged);
        // A count that fell (read here or on another device) is where the next rise starts.
        connect(m_client, &ChatClient::unreadChanged, this,
                [this](const QString &uuid, qint64 unread) { m_unreads.insert(uuid, unread); });
        connect(m_client, &ChatClient::roomEntered, this,
                [this](const protocol::Room &room) { m_sums.insert(room.uuid, room.sum); });
        connect(m_client, &ChatClient::roomDeleted, this,
                [this](const protocol::Room &room) { m_sums.remove(room.uuid); });
    }
    connect(m_rooms, &QAbstractItemModel::modelReset, this, &Attention::recountUnread);
    connect(m_rooms, &QAbstractItemModel::layoutChanged, this, &Attention::recountUnread);
    connect(m_rooms, &QAbstractItemModel::dataChanged, this, &Attention::recountUnread);
    connect(m_rooms, &QAbstractItemModel::rowsInserted, this, &Attention::recountUnread);
    connect(m_rooms, &QAbstractItemModel::rowsRemoved, this, &Attention::recountUnread);
    updateTray();
}

Attention::~Attention() = default;

void Attention::setNotifier(std::unique_ptr<Notifier> notifier)
{
    m_notifier = std::move(notifier);
    if (!m_notifier)
        return;
    qCInfo(lcUi) << "desktop notifications through" << m_notifier->describe();
    connect(m_notifier.get(), &Notifier::activated, this, [this](const QString &uuid) {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
        emit openRoomRequested(uuid);
    });
}

bool Attention::doNotDisturb() const
{
    return settings::doNotDisturb.get(*m_settings);
}

void Attention::setDoNotDisturb(bool on)
{
    if (on == doNotDisturb())
        return;
    settings::doNotDisturb.set(*m_settings, on);
    emit doNotDisturbChanged(on);
}

bool Attention::isRoomMuted(const QString &uuid) const
{
    return settings::mutedRooms.get(*m_settings).contains(uuid);
}

void Attention::setRoomMuted(const QString &uuid, bool muted)
{
    QStringList rooms = settings::mutedRooms.get(*m_settings);
    rooms.removeAll(uuid);
    if (muted)
        rooms.append(uuid);
    settings::mutedRooms.set(*m_settings, rooms);
}

void Attention::onMessageCreated(const protocol::Message &message)
{
    if (!m_client || message.user.uuid == m_client->user().uuid)
        return; // one's own message is no news
    if (message.roomUuid != m_client->currentRoomUuid())
        return;
    m_sums.insert(message.roomUuid, m_sums.value(message.roomUuid) + 1);
    if (doNotDisturb() || isRoomMuted(message.roomUuid))
        return;
    m_sounds->playMessage();
    if (!m_windowActive())
        notify(
            message.roomUuid,
            tr("%1 in %2").arg(message.user.name.simplified().left(64), roomName(message.roomUuid)),
            message.body);
}

void Attention::onRoomsListed(const QList<protocol::Room> &rooms)
{
    m_sums.clear();
    m_unreads.clear();
    for (const protocol::Room &room : rooms) {
        m_sums.insert(room.uuid, room.sum);
        if (room.unread)
            m_unreads.insert(room.uuid, *room.unread);
    }
}

void Attention::onRoomChanged(const protocol::Room &room)
{
    const auto it = m_sums.constFind(room.uuid);
    qint64 rise = it != m_sums.constEnd() ? room.sum - *it : 0;
    m_sums.insert(room.uuid, room.sum);
    if (room.unread) {
        // A room newly counted (a direct conversation just opened by the other) starts at 0.
        rise = *room.unread - m_unreads.value(room.uuid, 0);
        m_unreads.insert(room.uuid, *room.unread);
    }
    if (!m_client || room.uuid == m_client->currentRoomUuid() || rise <= 0)
        return;
    if (doNotDisturb() || isRoomMuted(room.uuid))
        return;
    m_sounds->playOtherRoom();
    const QString name = m_roomNamer ? m_roomNamer(room) : room.name;
    notify(room.uuid, name.simplified().left(80),
           tr("%n new message(s)", nullptr, int(std::min<qint64>(rise, 9999))));
}

void Attention::notify(const QString &roomUuid, const QString &title, const QString &body)
{
    if (m_notifier)
        m_notifier->show({roomUuid, title, shortenForNotification(body)});
}

QString Attention::roomName(const QString &uuid) const
{
    const auto room = m_rooms->roomByUuid(uuid);
    if (!room)
        return tr("a room");
    return (m_roomNamer ? m_roomNamer(*room) : room->name).simplified().left(80);
}

void Attention::recountUnread()
{
    int total = 0;
    for (int row = 0; row < m_rooms->rowCount(); ++row)
        total += m_rooms->index(row).data(client::RoomListModel::UnreadRole).toInt();
    if (total == m_unread)
        return;
    m_unread = total;
    updateTray();
    emit unreadChanged(total);
}

void Attention::updateTray()
{
    if (!m_tray)
        return;
    m_tray->setToolTip(m_unread ? tr("Chalkroom — %n unread", nullptr, m_unread) : tr("Chalkroom"));
    if (m_trayBase.isNull())
        m_trayBase = QIcon(QStringLiteral(":/icons/chalkroom.png")).pixmap(64, 64);
    QPixmap icon = m_trayBase;
    if (m_unread) {
        // A red badge with the count, as chat apps show it.
        QPainter p(&icon);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(QColor(0xc0, 0x39, 0x2b));
        p.setPen(Qt::NoPen);
        const QRect badge(28, 28, 36, 36);
        p.drawEllipse(badge);
        p.setPen(Qt::white);
        QFont f = p.font();
        f.setBold(true);
        f.setPixelSize(m_unread > 99 ? 14 : 20);
        p.setFont(f);
        p.drawText(badge, Qt::AlignCenter,
                   m_unread > 99 ? QStringLiteral("99+") : QString::number(m_unread));
    }
    m_tray->setIcon(QIcon(icon));
}

} // namespace chalk::ui
