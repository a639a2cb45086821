// Desktop notifications: one interface, a backend per platform. On Linux the freedesktop
// notification service over D-Bus (freedesktop_notifier.h); elsewhere, or without that
// service, the system tray's balloon (QSystemTrayIcon::showMessage). A click on a
// notification asks to open its room (activated).
#pragma once

#include <QObject>
#include <QString>
#include <memory>

class QSystemTrayIcon;

namespace chalk::ui {

struct Notification {
    QString roomUuid; // what a click opens
    QString title;    // plain text
    QString body;     // plain text, shortened
};

class Notifier : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void show(const Notification &notification) = 0;
    virtual QString describe() const = 0; // for the log: "freedesktop", "tray"

signals:
    void activated(const QString &roomUuid);
};

// Shows notifications as balloons of a tray icon (not owned; it must stay visible).
class TrayNotifier final : public Notifier {
    Q_OBJECT
public:
    explicit TrayNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);
    void show(const Notification &notification) override;
    QString describe() const override { return QStringLiteral("tray"); }

private:
    QSystemTrayIcon *m_tray;
    QString m_lastRoom;
};

// The platform's: the freedesktop service when the session bus has one, else the tray's
// balloons when `tray` is given, else nullptr (the log says notifications are off).
std::unique_ptr<Notifier> createSystemNotifier(QSystemTrayIcon *tray);

// At most this many characters of a message in a notification.
constexpr int kNotificationBodyChars = 200;
QString shortenForNotification(const QString &text);

} // namespace chalk::ui
