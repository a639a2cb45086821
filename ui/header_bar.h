// The window's header: the user's name (click to edit in place), the connection status,
// the mute toggle and the theme slider.
#pragma once

#include <QFrame>

class QLabel;
class QLineEdit;
class QSlider;
class QStackedWidget;
class QToolButton;

namespace chalk::ui {

class ElidedLabel;

class HeaderBar : public QFrame {
    Q_OBJECT
public:
    explicit HeaderBar(QWidget *parent = nullptr);

    void setUserName(const QString &name);
    QString userName() const;
    void setStatus(const QString &text, bool connected);
    QString statusText() const;
    void setMuted(bool muted);
    bool isMuted() const;
    void setTheme(int index);
    int theme() const;

    // Opens the name editor (also on a click on the name).
    void beginNameEdit();
    bool isEditingName() const;

    ElidedLabel *nameLabel() const { return m_name; }
    QLineEdit *nameEditor() const { return m_nameEdit; }
    QSlider *themeSlider() const { return m_theme; }
    QToolButton *muteButton() const { return m_mute; }
    ElidedLabel *statusLabel() const { return m_status; }

signals:
    void userNameEdited(const QString &name); // trimmed, non-empty, changed
    void themeChanged(int index);
    void mutedChanged(bool muted);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void commitNameEdit();
    void cancelNameEdit();
    void updateMuteIcon();

    QStackedWidget *m_nameStack;
    ElidedLabel *m_name;
    QLineEdit *m_nameEdit;
    QLabel *m_dot;
    ElidedLabel *m_status;
    QToolButton *m_mute;
    QSlider *m_theme;
    QLabel *m_themeName;
};

} // namespace chalk::ui
