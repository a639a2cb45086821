#include "share_dialog.h"

#include "startup_options.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace chalk::ui {

ShareDialog::ShareDialog(const QHostAddress &currentHost, quint16 currentPort,
                         const QString &roomUuid, QWidget *parent)
    : QDialog(parent)
    , m_room(roomUuid)
{
    setObjectName(QStringLiteral("ShareDialog"));
    setWindowTitle(tr("Share on network"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Let other people on your network join this Chalkroom. "
                                "Everyone who can reach the address can read and write."),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_host = new QComboBox(this);
    m_host->addItem(tr("All networks (0.0.0.0)"), QStringLiteral("0.0.0.0"));
    m_host->addItem(tr("This computer only (127.0.0.1)"), QStringLiteral("127.0.0.1"));
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            m_host->addItem(a.toString(), a.toString());
    }
    const int current = m_host->findData(currentHost.toString());
    // Sharing means leaving loopback: preselect "all networks" unless already elsewhere.
    m_host->setCurrentIndex(current > 1 ? current : 0);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(currentPort ? currentPort : 9000);
    form->addRow(tr("Listen on:"), m_host);
    form->addRow(tr("Port:"), m_port);
    layout->addLayout(form);

    auto *linkRow = new QHBoxLayout;
    m_link = new QLineEdit(this);
    m_link->setObjectName(QStringLiteral("ShareLink"));
    m_link->setReadOnly(true);
    m_link->setMinimumWidth(420);
    auto *copy = new QPushButton(tr("Copy link"), this);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_link->text()); });
    linkRow->addWidget(m_link, 1);
    linkRow->addWidget(copy);
    auto *linkLabel = new QLabel(tr("Link to give to others (they open it with Chalkroom):"), this);
    linkLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(linkLabel);
    layout->addLayout(linkRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Listen"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_host, &QComboBox::currentIndexChanged, this, &ShareDialog::updateLink);
    connect(m_port, &QSpinBox::valueChanged, this, &ShareDialog::updateLink);
    updateLink();
}

QHostAddress ShareDialog::host() const
{
    return QHostAddress(m_host->currentData().toString());
}

quint16 ShareDialog::port() const
{
    return quint16(m_port->value());
}

QString ShareDialog::lanAddress()
{
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            return a.toString();
    }
    return QStringLiteral("127.0.0.1");
}

QString ShareDialog::link() const
{
    const QHostAddress h = host();
    const QString shown =
        (h == QHostAddress::AnyIPv4 || h == QHostAddress::Any) ? lanAddress() : h.toString();
    if (m_room.isEmpty())
        return QStringLiteral("ws://%1:%2").arg(shown).arg(port());
    return makeRoomLink(shown, port(), m_room);
}

void ShareDialog::updateLink()
{
    m_link->setText(link());
}

} // namespace chalk::ui
