// FreedesktopNotifier against a real D-Bus: a private dbus-daemon started for the test, and a
// notification service on it (this test's object, registered as org.freedesktop.Notifications)
// that records each Notify call as a desktop would receive it.
#include "ui/freedesktop_notifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace chalk;

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

// What a desktop's notification daemon is asked, recorded.
class FakeNotificationService : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call {
        QString app;
        uint replaces;
        QString summary;
        QString body;
        QStringList actions;
    };
    QList<Call> calls;

public slots:
    uint Notify(const QString &app, uint replaces, const QString &, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &, int)
    {
        calls.append({app, replaces, summary, body, actions});
        return replaces ? replaces : uint(calls.size() + 100);
    }
};

class TestFreedesktopNotifier : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            QSKIP("dbus-daemon is not installed (Debian package dbus-daemon)");
        m_daemon.start(daemon, {QStringLiteral("--session"), QStringLiteral("--nofork"),
                                QStringLiteral("--print-address")});
        QVERIFY(m_daemon.waitForStarted());
        QVERIFY(m_daemon.waitForReadyRead(10000));
        const QString address = QString::fromUtf8(m_daemon.readLine()).trimmed();
        QVERIFY2(!address.isEmpty(), "dbus-daemon printed no address");
        m_serviceBus = std::make_unique<QDBusConnection>(
            QDBusConnection::connectToBus(address, QStringLiteral("service")));
        m_clientBus = std::make_unique<QDBusConnection>(
            QDBusConnection::connectToBus(address, QStringLiteral("client")));
        QVERIFY(m_serviceBus->isConnected() && m_clientBus->isConnected());
        QVERIFY(m_serviceBus->registerObject(kPath, &m_service, QDBusConnection::ExportAllSlots));
        QVERIFY(m_serviceBus->registerService(kService));
    }

    void showsPlainTextAndReplacesPerRoom()
    {
        ui::FreedesktopNotifier notifier(*m_clientBus);
        notifier.show({QStringLiteral("room-a"), QStringLiteral("Bob in <Team>"),
                       QStringLiteral("<b>bold</b> & more")});
        QTRY_COMPARE_WITH_TIMEOUT(m_service.calls.size(), 1, 10000);
        const auto first = m_service.calls.last();
        QCOMPARE(first.app, QStringLiteral("Chalkroom"));
        QCOMPARE(first.replaces, 0u);
        // Servers that read markup in the body must show the text as typed.
        QCOMPARE(first.summary, QStringLiteral("Bob in &lt;Team&gt;"));
        QCOMPARE(first.body, QStringLiteral("&lt;b&gt;bold&lt;/b&gt; &amp; more"));
        QVERIFY(first.actions.contains(QStringLiteral("default")));

        // The same room again replaces its notification; another room gets its own.
        QTRY_VERIFY_WITH_TIMEOUT(notifier.isShowing(QStringLiteral("room-a")), 10000);
        notifier.show({QStringLiteral("room-a"), QStringLiteral("t"), QStringLiteral("b")});
        QTRY_COMPARE_WITH_TIMEOUT(m_service.calls.size(), 2, 10000);
        QCOMPARE(m_service.calls.last().replaces, 101u);
        notifier.show({QStringLiteral("room-b"), QStringLiteral("t"), QStringLiteral("b")});
        QTRY_COMPARE_WITH_TIMEOUT(m_service.calls.size(), 3, 10000);
        QCOMPARE(m_service.calls.last().replaces, 0u);
    }

    void theDefaultActionOpensTheRoom()
    {
        ui::FreedesktopNotifier notifier(*m_clientBus);
        QSignalSpy activated(&notifier, &ui::Notifier::activated);
        const int before = int(m_service.calls.size());
        notifier.show({QStringLiteral("room-c"), QStringLiteral("t"), QStringLiteral("b")});
        QTRY_COMPARE_WITH_TIMEOUT(int(m_service.calls.size()), before + 1, 10000);
        const uint id = uint(m_service.calls.size() + 100);
        // The reply (the id) must have reached the notifier before the click can be matched.
        QTRY_VERIFY_WITH_TIMEOUT(notifier.isShowing(QStringLiteral("room-c")), 10000);
        QDBusMessage click =
            QDBusMessage::createSignal(kPath, kService, QStringLiteral("ActionInvoked"));
        click << id << QStringLiteral("default");
        QVERIFY(m_serviceBus->send(click));
        QVERIFY(activated.wait(10000));
        QCOMPARE(activated.constFirst().at(0).toString(), QStringLiteral("room-c"));
    }

    void cleanupTestCase()
    {
        if (m_serviceBus)
            QDBusConnection::disconnectFromBus(QStringLiteral("service"));
        if (m_clientBus)
            QDBusConnection::disconnectFromBus(QStringLiteral("client"));
        m_daemon.terminate();
        m_daemon.waitForFinished(5000);
    }

private:
    QProcess m_daemon;
    FakeNotificationService m_service;
    std::unique_ptr<QDBusConnection> m_serviceBus;
    std::unique_ptr<QDBusConnection> m_clientBus;
};

QTEST_MAIN(TestFreedesktopNotifier)
#include "tst_freedesktop_notifier.moc"
