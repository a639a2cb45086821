// Handlers of the account calls: register, login, logout, change_password (docs/ACCOUNTS.md).
// Passwords are hashed and checked by PasswordHasher on its own threads; the handler awaits
// the result on the event loop. A password never reaches a log or an answer.
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"
#include "tokens.h"

#include <QCoroFuture>
#include <QWebSocket>
#include <QWebSocketProtocol>

namespace chalk::server {

using namespace chalk::protocol;

namespace {

// The throttle's key: the account's uuid when the name has one, else the name's key, so an
// unknown name is counted (and slowed) exactly like a known one.
QString throttleKey(const std::optional<Account> &account, const QString &name)
{
    return account ? account->user.uuid : QStringLiteral("name:") + nameKey(name);
}

} // namespace

template <Call C>
bool CallHandlers::mayCheckPassword(Session *s, const QString &account, const Request<C> &req)
{
    const qint64 wait = m_throttle.waitMs(s->loginFailures(), account);
    if (wait == 0)
        return true;
    Broadcaster::replyError(
        s, Error::RateLimited,
        QStringLiteral("too many wrong passwords: wait %1 s").arg((wait + 999) / 1000), req);
    if (m_throttle.refuse(s->loginFailures()))
        s->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too many logins"));
    return false;
}

template <Call C>
void CallHandlers::passwordFailed(Session *s, const QString &account, const Request<C> &req)
{
    const bool cut = m_throttle.fail(s->loginFailures(), account);
    Broadcaster::replyError(s, Error::BadLogin, QStringLiteral("wrong name or password"), req);
    if (cut) {
        qCInfo(lcServer) << "closing" << s->socket()->peerAddress().toString()
                         << ": too many wrong passwords";
        s->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too many logins"));
    }
}

void CallHandlers::becomeAccount(Session *s, User user, QByteArray tokenHash, Result answer,
                                 const QString &token, const QString &clientId)
{
    const bool hadIdentity = s->isAuthenticated();
    user.registered = true;
    becomeUser(s, std::move(user), std::move(tokenHash));
    QJsonObject fields = object(s->user().toJson());
    fields.insert(QStringLiteral("token"), token);
    Broadcaster::reply(s, answer, fields, clientId);
    if (!hadIdentity || answer == Result::LoggedIn) {
        s->markAuthenticated();
        sendRoomList(s);
    }
    if (!s->roomUuid().isEmpty())
        m_rooms.markChanged(s->roomUuid()); // its members now see `registered`
}

// register
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Register> req)
{
    if (m_options.accounts == AccountsMode::Off) {
        Broadcaster::replyError(s, Error::AccountsOff,
                                QStringLiteral("this server has no accounts"), req);
        co_return;
    }
    if (s->isRegistered()) {
        Broadcaster::replyError(s, Error::AlreadyRegistered,
                                QStringLiteral("this user is registered; logout first"), req);
        co_return;
    }
    // Who registers: the anonymous user of this connection (keeping uuid, name and history),
    // or where accounts are required, a new user named by its account.
    const QString uuid = s->isAuthenticated() ? s->user().uuid : newUuid();
    // Checked before the costly hash; createAccount checks again in its transaction.
    // Named, not temporaries: GCC 12 mishandles temporaries alive across a co_await.
    const QString taken = QStringLiteral("this name is taken");
    const bool free =
        co_await nameIsFree(s, req.args.name, uuid, Call::Register, req.clientId, taken);
    if (!free)
        co_return;
    QFuture<QByteArray> hashing = m_hasher.hash(req.args.password);
    const QByteArray passwordHash = co_await hashing;
    if (!alive(s))
        co_return;
    if (passwordHash.isEmpty()) {
        qCWarning(lcServer) << "hashing a password failed (out of memory?)";
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("could not store the password"), req);
        co_return;
    }
    // Read again after the awaits: the user's room may have changed meanwhile.
    const User user = s->isAuthenticated() ? s->user() : User{uuid, req.args.name, {}};
    const QString token = newResumeToken();
    const QByteArray tokenHash = hashToken(token);
    const AccountCreated created =
        co_await m_storage.createAccount(user, req.args.name, passwordHash, tokenHash);
    if (!alive(s))
        co_return;
    switch (created) {
    case AccountCreated::Created:
        break;
    case AccountCreated::NameTaken:
        Broadcaster::replyError(s, Error::NameTaken,
                                QStringLiteral("this name (or your display name) is a "
                                               "registered user's"),
                                req, QStringLiteral("name"));
        co_return;
    case AccountCreated::AlreadyRegistered:
        Broadcaster::replyError(s, Error::AlreadyRegistered,
                                QStringLiteral("this user is registered"), req);
        co_return;
    case AccountCreated::Failed:
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("could not store the account"), req);
        co_return;
    }
    qCInfo(lcServer) << "user" << user.uuid << "registered";
    becomeAccount(s, s->isAuthenticated() ? s->user() : user, tokenHash, Result::Registered, token,
                  req.clientId);
}

// login
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Login> req)
{
    if (m_options.accounts == AccountsMode::Off) {
        Broadcaster::replyError(s, Error::AccountsOff,
                                QStringLiteral("this server has no accounts"), req);
        co_return;
    }
    const AccountLookup found = co_await m_storage.accountByName(req.args.name);
    if (!alive(s))
        co_return;
    if (found.failed) {
        Broadcaster::replyError(s, Error::StorageFailed, QStringLiteral("could not check the name"),
                                req);
        co_return;
    }
    const QString key = throttleKey(found.account, req.args.name);
    if (!mayCheckPassword(s, key, req))
        co_return;
    // An unknown name is checked against a stand-in hash: the same work, the same answer.
    QFuture<bool> checking = m_hasher.verify(
        found.account ? found.account->passwordHash : QByteArray(), req.args.password);
    const bool matches = co_await checking;
    if (!alive(s))
        co_return;
    if (!matches) {
        passwordFailed(s, key, req);
        co_return;
    }
    m_throttle.succeed(s->loginFailures(), key);
    const QString token = newResumeToken();
    const QByteArray tokenHash = hashToken(token);
    const bool added = co_await m_storage.addToken(found.account->user.uuid, tokenHash);
    if (!alive(s))
        co_return;
    if (!added) {
        Broadcaster::replyError(s, Error::StorageFailed, QStringLiteral("could not log in"), req);
        co_return;
    }
    if (!co_await readUnread(s, found.account->user.uuid))
        co_return;
    m_rooms.leave(s);
    User user = found.account->user;
    user.roomUuid.clear();
    becomeAccount(s, user, tokenHash, Result::LoggedIn, token, req.clientId);
    releaseUnread(user.uuid);
}

// logout
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Logout> req)
{
    if (!s->isRegistered()) {
        Broadcaster::replyError(s, Error::NotRegistered,
                                QStringLiteral("an anonymous user has nothing to log out of"), req);
        co_return;
    }
    const bool revoked = co_await m_storage.revokeToken(s->tokenHash());
    if (!alive(s))
        co_return;
    if (!revoked) {
        Broadcaster::replyError(s, Error::StorageFailed, QStringLiteral("could not log out"), req);
        co_return;
    }
    m_rooms.leave(s);
    Broadcaster::reply(s, Result::LoggedOut, {}, req.clientId);
    if (m_options.accounts == AccountsMode::Required) {
        m_unread.detach(s->user().uuid);
        s->forgetUser();
        co_return;
    }
    co_await welcome(s); // a new anonymous user, as on a first connection
}

// change_password
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ChangePassword> req)
{
    if (!s->isRegistered()) {
        Broadcaster::replyError(s, Error::NotRegistered,
                                QStringLiteral("an anonymous user has no password"), req);
        co_return;
    }
    const QString uuid = s->user().uuid;
    if (!mayCheckPassword(s, uuid, req))
        co_return;
    const AccountLookup found = co_await m_storage.accountOf(uuid);
    if (!alive(s))
        co_return;
    if (found.failed || !found.account) {
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("could not read the account"), req);
        co_return;
    }
    QFuture<bool> checking = m_hasher.verify(found.account->passwordHash, req.args.oldPassword);
    const bool matches = co_await checking;
    if (!alive(s))
        co_return;
    if (!matches) {
        passwordFailed(s, uuid, req);
        co_return;
    }
    m_throttle.succeed(s->loginFailures(), uuid);
    QFuture<QByteArray> hashing = m_hasher.hash(req.args.newPassword);
    const QByteArray passwordHash = co_await hashing;
    if (!alive(s))
        co_return;
    bool changed = false;
    if (!passwordHash.isEmpty())
        changed = co_await m_storage.changePassword(uuid, passwordHash, s->tokenHash());
    if (!alive(s))
        co_return;
    if (!changed) {
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("could not store the password"), req);
        co_return;
    }
    qCInfo(lcServer) << "user" << uuid << "changed its password; other devices signed out";
    Broadcaster::reply(s, Result::PasswordChanged, {}, req.clientId);
    // The other devices' open connections end now, not at their next reconnect (whose resume
    // then answers bad_token): a session let in by the old password does not outlive it.
    for (Session *other : m_broadcaster.everyone()) {
        if (other != s.data() && other->user().uuid == uuid && other->tokenHash() != s->tokenHash())
            other->close(QWebSocketProtocol::CloseCodeNormal,
                         QStringLiteral("signed out: the password was changed"));
    }
}

} // namespace chalk::server
