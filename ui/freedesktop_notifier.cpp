#include "freedesktop_notifier.h"

#include "ui_logging.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QVariantMap>

namespace chalk::ui {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
} // namespace

FreedesktopNotifier::FreedesktopNotifier(QDBusConnection bus, QObject *parent)
    : Notifier(parent)
    , m_bus(std::move(bus))
{
    m_bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                  SLOT(onClosed(uint, uint)));
}

std::unique_ptr<FreedesktopNotifier> FreedesktopNotifier::onSessionBus()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface() ||
        !bus.interface()->isServiceRegistered(kService).value())
        return nullptr;
    return std::make_unique<FreedesktopNotifier>(bus);
}

void FreedesktopNotifier::show(const Notification &notification)
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    const uint replaces = m_idByRoom.value(notification.roomUuid, 0);
    QVariantMap hints;
    hints.insert(QStringLiteral("category"), QStringLiteral("im.received"));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("chalkroom"));
    call << QStringLiteral("Chalkroom") << replaces << QStringLiteral("chalkroom")
         << notification.title.toHtmlEscaped() << notification.body.toHtmlEscaped()
         << QStringList{QStringLiteral("default"), tr("Open")} << hints << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    const QString room = notification.roomUuid;
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, room](QDBusPendingCallWatcher *w) {
                const QDBusPendingReply<uint> reply = *w;
                w->deleteLater();
                if (reply.isError()) {
                    qCInfo(lcUi) << "notification refused:" << reply.error().name();
                    return;
                }
                m_rooms.insert(reply.value(), room);
                m_idByRoom.insert(room, reply.value());
            });
}

void FreedesktopNotifier::onActionInvoked(uint id, const QString &actionKey)
{
    const QString room = m_rooms.value(id);
    if (!room.isEmpty() && actionKey == QLatin1String("default"))
        emit activated(room);
}

void FreedesktopNotifier::onClosed(uint id, uint)
{
    const QString room = m_rooms.take(id);
    if (m_idByRoom.value(room) == id)
        m_idByRoom.remove(room);
}

} // namespace chalk::ui
