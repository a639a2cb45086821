// ChatClient's account calls against a real in-process ChatServer: register, login on a
// second device (same uuid), the device token kept and resumed, typed errors, logout,
// change_password, a server that requires accounts, and no password in the client's log.
#include "client/chat_client.h"
#include "client/client_settings.h"
#include "client/settings_store.h"
#include "client_test_support.h"
#include "server/password_hasher.h"

#include <QSignalSpy>
#include <QTest>

using namespace chalk;
using namespace chalk::client;
using protocol::CallError;
using protocol::Error;

namespace {
constexpr int kWait = 10000;
const QString kPassword = QStringLiteral("correct horse battery");

// One device: its settings (the stored token) outlive the ChatClient, as on disk.
struct Device {
    std::shared_ptr<MemorySettingsStore> store = std::make_shared<MemorySettingsStore>();
    std::unique_ptr<ChatClient> client = newClient();
    QStringList logged; // every statement's text, both ways

    std::unique_ptr<ChatClient> newClient()
    {
        auto c = std::make_unique<ChatClient>(store, test::fastOptions());
        QObject::connect(c.get(), &ChatClient::statementLogged,
                         [this](auto, const QString &, const QString &, const QString &raw,
                                const QDateTime &) { logged << raw; });
        return c;
    }
    bool connectTo(const QUrl &url)
    {
        QSignalSpy ready(client.get(), &ChatClient::ready);
        client->connectToServer(url);
        return ready.wait(kWait);
    }
    // A restart of the app on this device: a new client, the same settings.
    bool restart(const QUrl &url)
    {
        client.reset();
        client = newClient();
        return connectTo(url);
    }
    QString storedToken() const { return settings::identityToken.get(*store); }
};

// The next typed error the client reports.
std::optional<CallError> nextError(ChatClient &c, const std::function<bool()> &call)
{
    QSignalSpy errors(&c, &ChatClient::callErrorReceived);
    if (!call() || !errors.wait(kWait))
        return std::nullopt;
    return errors.first().first().value<CallError>();
}
} // namespace

class TestClientAccounts : public QObject {
    Q_OBJECT
    test::ServerHost host;

private slots:
    void init()
    {
        host.options.passwordWork = server::PasswordHasher::minimumWork();
        QVERIFY(host.start());
    }
    void cleanup()
    {
        host.stop();
        host.replaceStorage();
        host.options.accounts = server::AccountsMode::Optional;
    }

    void registerAndLoginOnASecondDevice()
    {
        Device phone, laptop;
        QVERIFY(phone.connectTo(host.url()));
        QVERIFY(laptop.connectTo(host.url()));
        const QString uuid = phone.client->user().uuid;
        const QString anonymousToken = phone.storedToken();
        QVERIFY(!phone.client->user().registered);

        QSignalSpy registered(phone.client.get(), &ChatClient::registered);
        QVERIFY(phone.client->registerAccount(QStringLiteral("Ann"), kPassword));
        QVERIFY(registered.wait(kWait));
        QCOMPARE(registered.first().first().value<protocol::User>().uuid, uuid);
        QVERIFY(phone.client->user().registered);
        QCOMPARE(phone.client->user().uuid, uuid);
        QVERIFY(!phone.storedToken().isEmpty());
        QVERIFY(phone.storedToken() != anonymousToken); // this device's account token

        QSignalSpy loggedIn(laptop.client.get(), &ChatClient::loggedIn);
        QSignalSpy user(laptop.client.get(), &ChatClient::userChanged);
        QVERIFY(laptop.client->login(QStringLiteral("ANN"), kPassword));
        QVERIFY(loggedIn.wait(kWait));
        QCOMPARE(laptop.client->user().uuid, uuid);
        QVERIFY(laptop.client->user().registered);
        QVERIFY(user.count() >= 1);
        QVERIFY(laptop.storedToken() != phone.storedToken());

        // Both devices come back as the one user after a restart, by their own tokens.
        QVERIFY(laptop.restart(host.url()));
        QCOMPARE(laptop.client->user().uuid, uuid);
        QVERIFY(laptop.client->user().registered);
        QVERIFY(phone.restart(host.url()));
        QCOMPARE(phone.client->user().uuid, uuid);

        // No password reached the log, in either direction.
        for (const Device *d : {&phone, &laptop}) {
            QVERIFY(!d->logged.isEmpty());
            for (const QString &raw : d->logged)
                QVERIFY2(!raw.contains(kPassword), qPrintable(raw));
        }
    }

    void typedErrors()
    {
        Device a, b;
        QVERIFY(a.connectTo(host.url()));
        QVERIFY(b.connectTo(host.url()));
        QSignalSpy registered(a.client.get(), &ChatClient::registered);
        QVERIFY(a.client->registerAccount(QStringLiteral("ann"), kPassword));
        QVERIFY(registered.wait(kWait));

        auto e = nextError(*b.client, [&] { return b.client->registerAccount("ANN", kPassword); });
        QVERIFY(e);
        QCOMPARE(e->error, Error::NameTaken);
        QCOMPARE(e->callName, QStringLiteral("register"));
        e = nextError(*b.client, [&] { return b.client->login("ann", "wrong password"); });
        QVERIFY(e);
        QCOMPARE(e->error, Error::BadLogin);
        const QString wrongDetail = e->detail;
        e = nextError(*b.client, [&] { return b.client->login("nobody", "wrong password"); });
        QVERIFY(e);
        QCOMPARE(e->error, Error::BadLogin);
        QCOMPARE(e->detail, wrongDetail);
        e = nextError(*b.client, [&] { return b.client->logout(); });
        QVERIFY(e);
        QCOMPARE(e->error, Error::NotRegistered);
        e = nextError(*b.client, [&] { return b.client->changeUserName("Ann"); });
        QVERIFY(e);
        QCOMPARE(e->error, Error::NameTaken);
        for (const QString &raw : b.logged)
            QVERIFY2(!raw.contains("wrong password"), qPrintable(raw));
    }

    void logoutAndChangePassword()
    {
        Device phone, laptop;
        QVERIFY(phone.connectTo(host.url()));
        QVERIFY(laptop.connectTo(host.url()));
        QSignalSpy registered(phone.client.get(), &ChatClient::registered);
        QVERIFY(phone.client->registerAccount(QStringLiteral("ann"), kPassword));
        QVERIFY(registered.wait(kWait));
        const QString uuid = phone.client->user().uuid;
        QSignalSpy loggedIn(laptop.client.get(), &ChatClient::loggedIn);
        QVERIFY(laptop.client->login(QStringLiteral("ann"), kPassword));
        QVERIFY(loggedIn.wait(kWait));

        // A new password on the laptop signs the phone out: its token no longer resumes.
        QSignalSpy changed(laptop.client.get(), &ChatClient::passwordChanged);
        QVERIFY(laptop.client->changePassword(kPassword, QStringLiteral("another password")));
        QVERIFY(changed.wait(kWait));
        for (const QString &raw : laptop.logged) {
            QVERIFY2(!raw.contains("another password"), qPrintable(raw));
            QVERIFY2(!raw.contains(kPassword), qPrintable(raw));
        }
        QVERIFY(phone.restart(host.url()));
        QVERIFY(phone.client->user().uuid != uuid);
        QVERIFY(!phone.client->user().registered);

        // Logout: this device becomes a new anonymous user, its token forgotten.
        const QString accountToken = laptop.storedToken();
        QSignalSpy out(laptop.client.get(), &ChatClient::loggedOut);
        QSignalSpy ready(laptop.client.get(), &ChatClient::ready);
        QVERIFY(laptop.client->logout());
        QVERIFY(out.wait(kWait));
        QVERIFY(ready.count() > 0 || ready.wait(kWait));
        QVERIFY(laptop.client->user().uuid != uuid);
        QVERIFY(!laptop.client->user().registered);
        QVERIFY(laptop.storedToken() != accountToken);
        QVERIFY(laptop.restart(host.url()));
        QVERIFY(laptop.client->user().uuid != uuid);
    }

    void aServerThatRequiresAccounts()
    {
        // An anonymous identity from before accounts were required does not resume.
        Device anonymous;
        QVERIFY(anonymous.connectTo(host.url()));
        QVERIFY(!anonymous.storedToken().isEmpty());
        host.options.accounts = server::AccountsMode::Required;
        QVERIFY(host.start(host.port()));
        anonymous.client.reset();
        anonymous.client = anonymous.newClient();
        QSignalSpy refused(anonymous.client.get(), &ChatClient::accountRequired);
        anonymous.client->connectToServer(host.url());
        QVERIFY(refused.wait(kWait));
        QVERIFY(!anonymous.client->isReady());
        QCOMPARE(anonymous.logged.filter("\"resumed\"").size(), 0);
        // It was asked once (the call), and refused.
        QCOMPARE(anonymous.logged.filter("\"message\":\"resume\"").size(), 1);

        Device d;
        QSignalSpy required(d.client.get(), &ChatClient::accountRequired);
        QSignalSpy ready(d.client.get(), &ChatClient::ready);
        d.client->connectToServer(host.url());
        QVERIFY(required.wait(kWait));
        QCOMPARE(ready.count(), 0);
        QVERIFY(!d.client->isReady());

        QVERIFY(d.client->registerAccount(QStringLiteral("carol"), kPassword));
        QVERIFY(ready.wait(kWait));
        QVERIFY(d.client->isReady());
        QCOMPARE(d.client->user().name, QStringLiteral("carol"));
        const QString uuid = d.client->user().uuid;
        QSignalSpy listed(d.client.get(), &ChatClient::roomsListed);
        QVERIFY(d.client->listRooms());
        QVERIFY(listed.wait(kWait));

        // The next start of the app resumes with the device token: no sign-in asked.
        d.client.reset();
        d.client = d.newClient();
        QSignalSpy requiredAgain(d.client.get(), &ChatClient::accountRequired);
        QVERIFY(d.connectTo(host.url()));
        QCOMPARE(d.client->user().uuid, uuid);
        QCOMPARE(requiredAgain.count(), 0);

        // After logout it is asked again.
        QSignalSpy out(d.client.get(), &ChatClient::loggedOut);
        QVERIFY(d.client->logout());
        QVERIFY(out.wait(kWait));
        QVERIFY(!d.client->isReady());
        d.client.reset();
        d.client = d.newClient();
        QSignalSpy askedAgain(d.client.get(), &ChatClient::accountRequired);
        d.client->connectToServer(host.url());
        QVERIFY(askedAgain.wait(kWait));
    }
};

QTEST_GUILESS_MAIN(TestClientAccounts)
#include "tst_client_accounts.moc"
