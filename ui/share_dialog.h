// "Share on network…": where the embedded server should listen so that others can join,
// and the chalkroom:// link to give them.
#pragma once

#include <QDialog>
#include <QHostAddress>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace chalk::ui {

class ShareDialog : public QDialog {
    Q_OBJECT
public:
    ShareDialog(const QHostAddress &currentHost, quint16 currentPort, const QString &roomUuid,
                QWidget *parent = nullptr);

    QHostAddress host() const;
    quint16 port() const;
    // The link others can open (uses this machine's first LAN address for a wildcard host).
    QString link() const;
    static QString lanAddress(); // first non-loopback IPv4 address, or 127.0.0.1

private:
    void updateLink();
    QComboBox *m_host;
    QSpinBox *m_port;
    QLineEdit *m_link;
    QString m_room;
};

} // namespace chalk::ui
