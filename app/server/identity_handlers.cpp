// Handlers of the identity calls: the greeting of a new connection, authenticate (the
// server password), resume (a resume token), change_user_name. Accounts: account_handlers.cpp.
#include "broadcaster.h"
#include "call_handlers.h"
#include "connection_policy.h"
#include "logging.h"
#include "tokens.h"

namespace chalk::server {

using namespace chalk::protocol;

QCoro::Task<void> CallHandlers::welcome(SessionPtr s)
{
    const QString uuid = newUuid();
    const QString token = newResumeToken();
    // A new user follows nothing yet: no counts to read.
    becomeUser(s, User{uuid, QStringLiteral("user-") + uuid, {}}, hashToken(token));
    // Saved before the token is handed out, so a resume with it always finds the user.
    const bool saved = co_await m_storage.saveUser(s->user(), s->tokenHash());
    if (!alive(s))
        co_return;
    if (!saved)
        qCWarning(lcServer) << "could not store a new user; resume will not find it";
    QJsonObject created{{QStringLiteral("object"), s->user().toJson()}};
    if (saved)
        created.insert(QStringLiteral("token"), token);
    // Only now: broadcasts (room_created, room_changed) must not come before user_created.
    s->markAuthenticated();
    s->sendDirect(Broadcaster::frame(Result::UserCreated, created));
    sendRoomList(s.data());
}

QCoro::Task<void> CallHandlers::greet(SessionPtr s)
{
    s->markAdmitted();
    if (m_options.accounts != AccountsMode::Required) {
        co_await welcome(s);
        co_return;
    }
    Broadcaster::sendError(
        s, Error::AccountRequired,
        QStringLiteral("this server requires an account: send register or login"));
}

// authenticate
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Authenticate> req)
{
    if (!m_policy.asksPassword() || s->isAdmitted()) {
        Broadcaster::reply(s, Result::Authenticated, {}, req.clientId);
        co_return;
    }
    if (!m_policy.passwordMatches(req.args.password)) {
        Broadcaster::replyError(s, Error::Unauthorized, QStringLiteral("wrong password"), req,
                                QStringLiteral("password"));
        co_return;
    }
    Broadcaster::reply(s, Result::Authenticated, {}, req.clientId);
    co_await greet(s);
}

// resume
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::Resume> req)
{
    const QByteArray hash = hashToken(req.args.token);
    const auto found = co_await m_storage.userByTokenHash(hash);
    if (!alive(s))
        co_return;
    if (!found) {
        Broadcaster::replyError(s, Error::BadToken, QStringLiteral("unknown resume token"), req,
                                QStringLiteral("token"));
        co_return;
    }
    // Where accounts are required, only a registered user's device token resumes.
    if (m_options.accounts == AccountsMode::Required && !found->registered) {
        Broadcaster::replyError(
            s, Error::AccountRequired,
            QStringLiteral("this server requires an account: register or login"), req);
        co_return;
    }
    if (!co_await readUnread(s, found->uuid))
        co_return;
    const bool hadIdentity = s->isAuthenticated();
    bool relistCounts = false;
    m_rooms.leave(s);
    becomeUser(s, User{found->uuid, found->name, {}, found->registered}, hash);
    releaseUnread(found->uuid);
    Broadcaster::reply(s, Result::Resumed, object(s->user().toJson()), req.clientId);
    if (!hadIdentity) {
        s->markAuthenticated();
        sendRoomList(s.data());
    } else if (m_rooms.hasDirectFor(s->user().uuid)) {
        // The list it had was another identity's: this one's direct conversations were not in it.
        sendRoomList(s.data());
    } else if (m_unread.followsAny(s->user().uuid)) {
        relistCounts = true; // nor its unread counts: a list with them after the room's answers
    }
    const RoomPtr r = m_rooms.find(found->roomUuid);
    if (r && !r->deleting && r->admits(s->user().uuid))
        co_await enter(s, r, req.clientId);
    if (relistCounts && alive(s))
        sendRoomList(s.data());
}

// change_user_name
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ChangeUserName> req)
{
    // Nobody passes as a registered user: another's login or display name (by nameKey) is
    // refused, to anonymous and registered users alike.
    // Named, not temporaries: GCC 12 mishandles temporaries alive across a co_await.
    const QString uuid = s->user().uuid;
    const QString taken = QStringLiteral("a registered user has this name");
    const bool free =
        co_await nameIsFree(s, req.args.name, uuid, Call::ChangeUserName, req.clientId, taken);
    if (!free)
        co_return;
    s->rename(req.args.name);
    Broadcaster::reply(s, Result::UserChanged, object(s->user().toJson()), req.clientId);
    if (!s->roomUuid().isEmpty())
        m_rooms.markChanged(s->roomUuid());
    persistUser(s);
}

QCoro::Task<bool> CallHandlers::nameIsFree(SessionPtr s, QString name, QString uuid, Call call,
                                           QString clientId, QString takenDetail)
{
    // `user-<uuid>` is how an anonymous user is named at first: only that user may carry it.
    static const QLatin1String defaultPrefix("user-");
    if (name.startsWith(defaultPrefix, Qt::CaseInsensitive)) {
        const QString named = protocol::normalizeUuid(name.mid(defaultPrefix.size()));
        if (!named.isEmpty() && named != uuid) {
            Broadcaster::replyError(s, Error::NameTaken,
                                    QStringLiteral("this name belongs to another user"), call,
                                    clientId, QStringLiteral("name"));
            co_return false;
        }
    }
    const auto owner = co_await m_storage.registeredNameOwner(name, uuid);
    if (!alive(s))
        co_return false;
    if (!owner) {
        Broadcaster::replyError(s, Error::StorageFailed, QStringLiteral("could not check the name"),
                                call, clientId);
        co_return false;
    }
    if (!owner->isEmpty()) {
        Broadcaster::replyError(s, Error::NameTaken, takenDetail, call, clientId,
                                QStringLiteral("name"));
        co_return false;
    }
    co_return true;
}

void CallHandlers::persistUser(Session *s)
{
    if (s->tokenHash().isEmpty())
        return;
    // Not awaited: the answer does not depend on it, and Storage::flush() waits for it on stop.
    // A registered user keeps its other devices' tokens.
    if (s->isRegistered())
        m_storage.updateUser(s->user());
    else
        m_storage.saveUser(s->user(), s->tokenHash());
}

} // namespace chalk::server
