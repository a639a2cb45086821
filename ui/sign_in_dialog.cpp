#include "sign_in_dialog.h"

#include "client/chat_client.h"
#include "protocol/limits.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabBar>
#include <QVBoxLayout>

namespace chalk::ui {

SignInDialog::SignInDialog(client::ChatClient *client, Mode mode, QWidget *parent)
    : AccountCallDialog(client, parent)
{
    setObjectName(QStringLiteral("SignInDialog"));
    m_intro = new QLabel(this);
    m_intro->setTextFormat(Qt::PlainText);
    m_intro->setWordWrap(true);
    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("SignInModeTabs"));
    m_tabs->addTab(tr("Sign in"));
    m_tabs->addTab(tr("Create account"));
    m_tabs->setAccessibleName(tr("Sign in or create an account"));
    m_tabs->setExpanding(false);

    const protocol::Limits limits;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("AccountNameEdit"));
    m_name->setAccessibleName(tr("Account name"));
    // Over the limit on purpose: a name too long is told by the server, not silently cut.
    m_name->setMaxLength(limits.loginNameMax * 2);
    m_name->setMinimumWidth(300);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("AccountPasswordEdit"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(limits.passwordMaxBytes);
    m_repeat = new QLineEdit(this);
    m_repeat->setObjectName(QStringLiteral("AccountRepeatEdit"));
    m_repeat->setAccessibleName(tr("Repeat the password"));
    m_repeat->setEchoMode(QLineEdit::Password);
    m_repeat->setMaxLength(limits.passwordMaxBytes);

    auto *form = new QFormLayout;
    form->addRow(fieldLabel(tr("&Name:"), m_name), m_name);
    form->addRow(fieldLabel(tr("&Password:"), m_password), m_password);
    m_repeatLabel = fieldLabel(tr("&Repeat:"), m_repeat);
    form->addRow(m_repeatLabel, m_repeat);

    auto *buttons = new QDialogButtonBox(this);
    m_anonymous = buttons->addButton(tr("Continue anonymously"), QDialogButtonBox::RejectRole);
    m_anonymous->setObjectName(QStringLiteral("ContinueAnonymouslyButton"));
    m_submit = buttons->addButton(tr("Sign in"), QDialogButtonBox::ActionRole);
    m_submit->setObjectName(QStringLiteral("SignInSubmitButton"));
    connect(m_anonymous, &QPushButton::clicked, this, [this] {
        emit continuedAnonymously();
        reject();
    });
    connect(m_submit, &QPushButton::clicked, this, &SignInDialog::submit);

    formLayout()->addWidget(m_intro);
    formLayout()->addWidget(m_tabs);
    formLayout()->addLayout(form);
    setButtons(buttons);
    for (QWidget *w : {static_cast<QWidget *>(m_tabs), static_cast<QWidget *>(m_name),
                       static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_repeat),
                       static_cast<QWidget *>(m_anonymous), static_cast<QWidget *>(m_submit)})
        addInput(w);

    connect(m_tabs, &QTabBar::currentChanged, this, &SignInDialog::updateMode);
    connect(m_name, &QLineEdit::textChanged, this, &SignInDialog::updateDefaultButton);
    if (client) {
        // Either success closes the dialog; an error of either call is said in it.
        connect(client, &client::ChatClient::registered, this, &SignInDialog::finishCall);
        connect(client, &client::ChatClient::loggedIn, this, &SignInDialog::finishCall);
    }
    setMode(mode);
    setAccountRequired(false);
}

SignInDialog::Mode SignInDialog::mode() const
{
    return m_tabs->currentIndex() == 1 ? Mode::CreateAccount : Mode::SignIn;
}

void SignInDialog::setMode(Mode mode)
{
    m_tabs->setCurrentIndex(mode == Mode::CreateAccount ? 1 : 0);
    updateMode();
}

void SignInDialog::setAccountRequired(bool required)
{
    m_required = required;
    m_anonymous->setVisible(!required);
    m_intro->setText(required ? tr("This server asks everyone to sign in. Sign in with your "
                                   "account, or create one.")
                              : tr("You can use Chalkroom without an account. With one, your "
                                   "name is yours alone and you are the same person on every "
                                   "device."));
    updateDefaultButton();
}

void SignInDialog::updateMode()
{
    const bool create = mode() == Mode::CreateAccount;
    setWindowTitle(create ? tr("Create account") : tr("Sign in"));
    m_submit->setText(create ? tr("Create account") : tr("Sign in"));
    m_repeatLabel->setVisible(create);
    m_repeat->setVisible(create);
    clearError(); // it was about the other choice; what was typed stays
}

void SignInDialog::updateDefaultButton()
{
    // Anonymous is the default path, until a name is typed: then Enter sends what was typed.
    const bool typed = !m_name->text().trimmed().isEmpty();
    const bool submitDefault = typed || m_required;
    m_submit->setDefault(submitDefault);
    m_anonymous->setDefault(!submitDefault);
}

void SignInDialog::submit()
{
    if (isBusy())
        return;
    const QString name = m_name->text().trimmed();
    const QString password = m_password->text();
    if (name.isEmpty()) {
        showError(tr("Type your account name."), m_name);
        return;
    }
    if (password.isEmpty()) {
        showError(tr("Type your password."), m_password);
        return;
    }
    const QString call = mode() == Mode::CreateAccount ? protocol::name(protocol::Call::Register)
                                                       : protocol::name(protocol::Call::Login);
    if (mode() == Mode::CreateAccount && m_repeat->text() != password) {
        showError(tr("The two passwords differ. Type the same password twice."), m_repeat);
        return;
    }
    client::ChatClient *c = client();
    const bool sent = c && (mode() == Mode::CreateAccount ? c->registerAccount(name, password)
                                                          : c->login(name, password));
    startCall(sent, {call});
}

QWidget *SignInDialog::fieldOf(const protocol::CallError &error) const
{
    if (error.field == QLatin1String("name") || error.error == protocol::Error::NameTaken)
        return m_name;
    return m_password; // bad_login, a short password, rate_limited: the password is retyped
}

} // namespace chalk::ui
