#include "account_call_dialog.h"

#include "client/chat_client.h"
#include "protocol/limits.h"

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace chalk::ui {

using protocol::Error;

AccountCallDialog::AccountCallDialog(client::ChatClient *client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
{
    auto *layout = new QVBoxLayout(this);
    m_layout = layout;
    // Always as big as its contents: the error line appears later and must not squeeze the
    // fields (a dialog keeps its first size otherwise).
    layout->setSizeConstraint(QLayout::SetFixedSize);
    m_form = new QVBoxLayout;
    layout->addLayout(m_form);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("AccountError"));
    m_error->setTextFormat(Qt::PlainText); // it never quotes markup, but stays plain anyway
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Error"));
    // Bold in the theme's own text colour: a fixed red fails the contrast of the dark themes.
    QFont bold = m_error->font();
    bold.setBold(true);
    m_error->setFont(bold);
    m_error->hide();
    layout->addWidget(m_error);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("AccountBusy"));
    m_busy->setRange(0, 0); // no steps to count: the server is hashing
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(6);
    m_busy->setAccessibleName(tr("Waiting for the server"));
    m_busy->hide();
    layout->addWidget(m_busy);
    if (client) {
        connect(client, &client::ChatClient::callErrorReceived, this, &AccountCallDialog::onError);
        connect(client, &client::ChatClient::stateChanged, this, [this] {
            if (m_waiting && !(m_client && m_client->isConnected())) {
                setBusy(false);
                showError(tr("The connection to the server was lost. Try again once it is "
                             "back."));
            }
        });
    }
}

QLabel *AccountCallDialog::fieldLabel(const QString &text, QWidget *field)
{
    auto *label = new QLabel(text, this);
    label->setTextFormat(Qt::PlainText);
    label->setBuddy(field);
    return label;
}

void AccountCallDialog::setButtons(QWidget *buttons)
{
    m_layout->addWidget(buttons);
}

QString AccountCallDialog::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString AccountCallDialog::describe(const protocol::CallError &error)
{
    const protocol::Limits limits;
    const bool aboutName = error.field == QLatin1String("name");
    switch (error.error) {
    case Error::BadLogin:
        return tr("Wrong name or password.");
    case Error::NameTaken:
        return tr("This name is taken. Choose another one.");
    case Error::BadData:
    case Error::DataTooLong:
        if (aboutName)
            return tr("A name has %1 to %2 characters, on one line.")
                .arg(limits.loginNameMin)
                .arg(limits.loginNameMax);
        if (error.error == Error::BadData)
            return tr("A password has at least %1 characters.").arg(limits.passwordMinBytes);
        return tr("This password is too long.");
    case Error::RateLimited: {
        // The server says how long: "... wait N s".
        static const QRegularExpression seconds(QStringLiteral("wait (\\d+) s"));
        const QRegularExpressionMatch m = seconds.match(error.detail);
        if (m.hasMatch())
            return tr("Too many wrong passwords. Try again in %n second(s).", nullptr,
                      m.captured(1).toInt());
        return tr("Too many tries. Wait a moment, then try again.");
    }
    case Error::AccountsOff:
        return tr("This server does not offer accounts.");
    case Error::AlreadyRegistered:
        return tr("You already have an account. Sign out first to create another.");
    case Error::NotRegistered:
        return tr("You are not signed in to an account.");
    case Error::StorageFailed:
        return tr("The server could not save this. Try again.");
    default:
        return tr("The server refused this (%1).").arg(protocol::name(error.error));
    }
}

QString AccountCallDialog::textOf(const protocol::CallError &error) const
{
    return describe(error);
}

void AccountCallDialog::startCall(bool sent, const QStringList &callNames)
{
    clearError();
    if (!sent) {
        showError(tr("Not connected to the server. Try again once connected."));
        return;
    }
    m_calls = callNames;
    setBusy(true);
}

void AccountCallDialog::finishCall()
{
    if (!m_waiting)
        return;
    setBusy(false);
    accept();
}

void AccountCallDialog::showError(const QString &text, QWidget *field)
{
    m_error->setText(text);
    m_error->show();
    if (auto *edit = qobject_cast<QLineEdit *>(field)) {
        edit->setFocus();
        edit->selectAll(); // kept, ready to be typed over
    }
}

void AccountCallDialog::clearError()
{
    m_error->clear();
    m_error->hide();
}

void AccountCallDialog::setBusy(bool busy)
{
    m_waiting = busy;
    if (!busy)
        m_calls.clear();
    m_busy->setVisible(busy);
    for (const QPointer<QWidget> &w : std::as_const(m_inputs)) {
        if (w)
            w->setEnabled(!busy);
    }
}

void AccountCallDialog::onError(const protocol::CallError &error)
{
    if (!m_waiting || !m_calls.contains(error.callName))
        return;
    setBusy(false);
    showError(textOf(error), fieldOf(error));
}

} // namespace chalk::ui
