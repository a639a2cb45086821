// Notifications through the freedesktop notification service (org.freedesktop.Notifications
// over D-Bus: GNOME, KDE, XFCE, ...). Texts are sent as plain text: servers that read markup in
// the body get it escaped. Each room has at most one notification on screen (replaced by the
// next); its default action opens the room.
#pragma once

#include "notifier.h"

#include <QDBusConnection>
#include <QHash>

namespace chalk::ui {

class FreedesktopNotifier final : public Notifier {
    Q_OBJECT
public:
    explicit FreedesktopNotifier(QDBusConnection bus, QObject *parent = nullptr);
    // nullptr when the session bus has no notification service.
    static std::unique_ptr<FreedesktopNotifier> onSessionBus();

    void show(const Notification &notification) override;
    QString describe() const override { return QStringLiteral("freedesktop"); }
    // Whether the service answered for this room's notification and has not closed it.
    bool isShowing(const QString &roomUuid) const { return m_idByRoom.contains(roomUuid); }

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onClosed(uint id, uint reason);

private:
    QDBusConnection m_bus;
    QHash<uint, QString> m_rooms;    // notification id -> room
    QHash<QString, uint> m_idByRoom; // room -> its notification on screen
};

} // namespace chalk::ui
