#include "notifier.h"

#include "ui_logging.h"

#ifdef CHALK_HAVE_DBUS
#include "freedesktop_notifier.h"
#endif

#include <QSystemTrayIcon>

namespace chalk::ui {

TrayNotifier::TrayNotifier(QSystemTrayIcon *tray, QObject *parent)
    : Notifier(parent)
    , m_tray(tray)
{
    // The tray says only that its balloon was clicked: the last one shown is meant.
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (!m_lastRoom.isEmpty())
            emit activated(m_lastRoom);
    });
}

void TrayNotifier::show(const Notification &notification)
{
    m_lastRoom = notification.roomUuid;
    m_tray->showMessage(notification.title, notification.body, QSystemTrayIcon::Information);
}

std::unique_ptr<Notifier> createSystemNotifier(QSystemTrayIcon *tray)
{
#ifdef CHALK_HAVE_DBUS
    if (auto freedesktop = FreedesktopNotifier::onSessionBus())
        return freedesktop;
#endif
    if (tray && QSystemTrayIcon::supportsMessages())
        return std::make_unique<TrayNotifier>(tray);
    qCInfo(lcUi) << "no notification service: desktop notifications are off";
    return nullptr;
}

QString shortenForNotification(const QString &text)
{
    QString line = text.simplified(); // one line: notification bubbles are small
    if (line.size() > kNotificationBodyChars)
        line = line.left(kNotificationBodyChars - 1) + QChar(0x2026);
    return line;
}

} // namespace chalk::ui
