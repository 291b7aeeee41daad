<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Try &apos;cluster-monitor --help&apos; for more information.</source>
        <translation>Mehr Informationen mit „cluster-monitor --help“.</translation>
    </message>
    <message>
        <source>no control endpoint %1 exists; start the cluster with cluster-run --control %1, or see the running ones with cluster-run ctl --list</source>
        <translation>Es gibt keinen Steuerendpunkt %1; starten Sie den Cluster mit cluster-run --control %1 oder zeigen Sie die laufenden mit cluster-run ctl --list</translation>
    </message>
    <message>
        <source>Starts a cluster of worker processes and monitors it. Without options: hello-http workers, one per core, on port 8000, round-robin.</source>
        <translation>Startet einen Cluster von Worker-Prozessen und überwacht ihn. Ohne Optionen: hello-http-Worker, einer pro Kern, auf Port 8000, Round-Robin.</translation>
    </message>
    <message>
        <source>Run without a window; print live counts to the terminal.</source>
        <translation>Ohne Fenster laufen; laufende Zahlen im Terminal ausgeben.</translation>
    </message>
    <message>
        <source>Language of the interface: de, fr or en.</source>
        <translation>Sprache der Oberfläche: de, fr oder en.</translation>
    </message>
    <message>
        <source>The worker program (default: hello-http). Its arguments follow after --.</source>
        <translation>Das Worker-Programm (Standard: hello-http). Seine Argumente folgen nach --.</translation>
    </message>
    <message>
        <source>Port for hello-http (default: 8000).</source>
        <translation>Port für hello-http (Standard: 8000).</translation>
    </message>
    <message>
        <source>Scheduling policy: rr, none, reuseport, leastconn, sticky.</source>
        <translation>Verteilungsstrategie: rr, none, reuseport, leastconn, sticky.</translation>
    </message>
    <message>
        <source>Pass the workers&apos; output through instead of capturing it.</source>
        <translation>Die Ausgabe der Worker durchreichen, statt sie aufzufangen.</translation>
    </message>
    <message>
        <source>Start the cluster last chosen in the New cluster dialog.</source>
        <translation>Den zuletzt im Dialog „Neuer Cluster“ gewählten Cluster starten.</translation>
    </message>
    <message>
        <source>The worker program&apos;s arguments.</source>
        <translation>Die Argumente des Worker-Programms.</translation>
    </message>
    <message>
        <source>Unknown language %1; use de, fr or en.</source>
        <translation>Unbekannte Sprache %1; erlaubt sind de, fr und en.</translation>
    </message>
    <message>
        <source>Invalid port %1.</source>
        <translation>Ungültiger Port %1.</translation>
    </message>
    <message>
        <source>Unknown policy %1.</source>
        <translation>Unbekannte Strategie %1.</translation>
    </message>
    <message>
        <source>Name of the started cluster&apos;s control endpoint (default: monitor-PID).</source>
        <translation>Name des Steuerungsendpunkts des gestarteten Clusters (Vorgabe: monitor-PID).</translation>
    </message>
    <message>
        <source>Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not starting with a dot.</source>
        <translation>Ungültiger Endpunktname %1: 1 bis 64 Zeichen aus A-Z a-z 0-9 . _ -, nicht mit einem Punkt am Anfang.</translation>
    </message>
    <message>
        <source>--attach needs the window; without a display, follow the cluster with: cluster-run ctl %1 watch</source>
        <translation>--attach braucht das Fenster; ohne Bildschirm folgen Sie dem Cluster mit: cluster-run ctl %1 watch</translation>
    </message>
    <message>
        <source>Number of workers, 0 to %1 (default: one per core).</source>
        <translation>Anzahl der Worker, 0 bis %1 (Standard: einer pro Kern).</translation>
    </message>
    <message>
        <source>With --respawn: give up when one worker slot exits unexpectedly more than N times within --crash-window, or more than N (at least the number of workers) workers in a row die before they are ready (default %1).</source>
        <translation>Mit --respawn: aufgeben, wenn ein Worker-Platz innerhalb von --crash-window mehr als N-mal unerwartet endet oder mehr als N (mindestens so viele wie Worker) Worker nacheinander enden, bevor sie bereit sind (Standard: %1).</translation>
    </message>
    <message>
        <source>The time --crash-limit counts over, in milliseconds (default %1).</source>
        <translation>Der Zeitraum, über den --crash-limit zählt, in Millisekunden (Standard: %1).</translation>
    </message>
    <message>
        <source>--crash-limit needs a whole number between 1 and %1, not &apos;%2&apos;.</source>
        <translation>--crash-limit braucht eine ganze Zahl zwischen 1 und %1, nicht „%2“.</translation>
    </message>
    <message>
        <source>--crash-window needs a number of milliseconds between 1 and %1, not &apos;%2&apos;.</source>
        <translation>--crash-window braucht eine Anzahl Millisekunden zwischen 1 und %1, nicht „%2“.</translation>
    </message>
    <message>
        <source>Replace workers that exit unexpectedly, with backoff; give up on a crash loop (the default).</source>
        <translation>Unerwartet beendete Worker mit wachsender Verzögerung ersetzen; bei einer Absturzschleife aufgeben (Standard).</translation>
    </message>
    <message>
        <source>Leave workers that exit unexpectedly gone, as Node&apos;s cluster does.</source>
        <translation>Unerwartet beendete Worker nicht ersetzen, wie Nodes Cluster.</translation>
    </message>
    <message>
        <source>--respawn and --no-respawn exclude each other.</source>
        <translation>--respawn und --no-respawn schließen einander aus.</translation>
    </message>
    <message>
        <source>Start no cluster: attach to the one behind the control endpoint NAME (cluster-run --control NAME), or ssh://[user@]host[:port]/NAME on another host, and follow it, also across restarts.</source>
        <translation>Keinen Cluster starten: an den Cluster hinter dem Steuerungsendpunkt NAME (cluster-run --control NAME) oder ssh://[user@]host[:port]/NAME auf einem anderen Rechner anhängen und ihm folgen, auch über Neustarts hinweg.</translation>
    </message>
    <message>
        <source>Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not starting with a dot; or ssh://[user@]host[:port]/NAME for one on another host.</source>
        <translation>Ungültiger Endpunktname %1: 1 bis 64 Zeichen aus A-Z a-z 0-9 . _ -, nicht mit einem Punkt am Anfang; für einen Endpunkt auf einem anderen Rechner: ssh://[user@]host[:port]/NAME.</translation>
    </message>
</context>
<context>
    <name>Monitor::AttachDialog</name>
    <message>
        <source>Attach to a Cluster</source>
        <translation>An einen Cluster anhängen</translation>
    </message>
    <message>
        <source>The clusters of this user that expose a control endpoint (cluster-run --control NAME, or another monitor):</source>
        <translation>Die Cluster dieses Benutzers, die einen Steuerungsendpunkt anbieten (cluster-run --control NAME oder ein anderer Monitor):</translation>
    </message>
    <message>
        <source>Live control endpoints; double-click one to attach</source>
        <translation>Aktive Steuerungsendpunkte; Doppelklick hängt an</translation>
    </message>
    <message>
        <source>The endpoint&apos;s name; a primary that has not opened it yet is waited for</source>
        <translation>Der Name des Endpunkts; auf einen Primärprozess, der ihn noch nicht geöffnet hat, wird gewartet</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>The cluster this monitor started, if any, is stopped first. An attached cluster runs on when the monitor lets go of it.</source>
        <translation>Ein von diesem Monitor gestarteter Cluster wird zuerst angehalten. Ein angehängter Cluster läuft weiter, wenn der Monitor ihn loslässt.</translation>
    </message>
    <message>
        <source>&amp;Attach</source>
        <translation>&amp;Anhängen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Look for live control endpoints again</source>
        <translation>Erneut nach aktiven Steuerungsendpunkten suchen</translation>
    </message>
    <message>
        <source>No control endpoint found</source>
        <translation>Kein Steuerungsendpunkt gefunden</translation>
    </message>
    <message>
        <source>%1 is this monitor&apos;s own endpoint.</source>
        <translation>%1 ist der eigene Endpunkt dieses Monitors.</translation>
    </message>
    <message>
        <source>e.g. web, or ssh://user@host/web</source>
        <translation>z. B. web oder ssh://user@host/web</translation>
    </message>
    <message>
        <source>An endpoint name is 1 to 64 letters, digits, dots, dashes and underscores, not starting with a dot; or ssh://[user@]host[:port]/NAME for one on another host.</source>
        <translation>Ein Endpunktname besteht aus 1 bis 64 Buchstaben, Ziffern, Punkten, Bindestrichen und Unterstrichen und beginnt nicht mit einem Punkt; für einen Endpunkt auf einem anderen Rechner: ssh://[user@]host[:port]/NAME.</translation>
    </message>
</context>
<context>
    <name>Monitor::ClusterController</name>
    <message>
        <source>stopping the cluster</source>
        <translation>Cluster wird angehalten</translation>
    </message>
    <message>
        <source>no connected worker</source>
        <translation>kein verbundener Worker</translation>
    </message>
</context>
<context>
    <name>Monitor::ClusterHost</name>
    <message>
        <source>still running after %1 s: killed with SIGKILL</source>
        <translation>nach %1 s noch aktiv: mit SIGKILL beendet</translation>
    </message>
    <message>
        <source>command from the control endpoint: %1</source>
        <translation>Befehl über den Steuerungsendpunkt: %1</translation>
    </message>
    <message>
        <source>control endpoint %1 open (cluster-run ctl %1 status)</source>
        <translation>Steuerungsendpunkt %1 offen (cluster-run ctl %1 status)</translation>
    </message>
    <message>
        <source>cannot open the control endpoint %1: %2</source>
        <translation>Steuerungsendpunkt %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>cannot serve metrics: %1</source>
        <translation>Metriken können nicht bereitgestellt werden: %1</translation>
    </message>
    <message>
        <source>metrics on http://%1:%2/metrics</source>
        <translation>Metriken unter http://%1:%2/metrics</translation>
    </message>
</context>
<context>
    <name>Monitor::ClusterSource</name>
    <message>
        <source>scale from %1 to %2 workers</source>
        <translation>Skalierung von %1 auf %2 Worker</translation>
    </message>
    <message>
        <source>disconnect requested</source>
        <translation>Trennung angefordert</translation>
    </message>
    <message>
        <source>kill with %1 requested</source>
        <translation>Abschießen mit %1 angefordert</translation>
    </message>
    <message>
        <source>the cluster is not running</source>
        <translation>der Cluster läuft nicht</translation>
    </message>
    <message>
        <source>disconnect all workers</source>
        <translation>alle Worker trennen</translation>
    </message>
    <message>
        <source>message sent: %1</source>
        <translation>Nachricht gesendet: %1</translation>
    </message>
    <message numerus="yes">
        <source>message sent to %n worker(s): %1</source>
        <translation>
            <numerusform>Nachricht an %n Worker gesendet: %1</numerusform>
            <numerusform>Nachricht an %n Worker gesendet: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>it crashed</source>
        <translation>er ist abgestürzt</translation>
    </message>
    <message>
        <source>it did not answer its heartbeat</source>
        <translation>er hat auf den Heartbeat nicht geantwortet</translation>
    </message>
    <message>
        <source>it used too much memory</source>
        <translation>er hat zu viel Speicher belegt</translation>
    </message>
    <message>
        <source>it served its share of requests</source>
        <translation>er hat sein Kontingent an Anfragen bedient</translation>
    </message>
    <message>
        <source>rolling restart</source>
        <translation>rollierender Neustart</translation>
    </message>
    <message>
        <source>it was asked to go, and the count stays</source>
        <translation>er sollte gehen, und die Anzahl bleibt</translation>
    </message>
    <message>
        <source>replaces worker %1 (%2)</source>
        <translation>ersetzt Worker %1 (%2)</translation>
    </message>
    <message>
        <source>a worker that crashed is replaced in %1 ms</source>
        <translation>ein abgestürzter Worker wird in %1 ms ersetzt</translation>
    </message>
    <message>
        <source>the workers keep crashing; respawning stopped: %1</source>
        <translation>die Worker stürzen immer wieder ab; kein Neustart mehr: %1</translation>
    </message>
    <message>
        <source>respawning resumed</source>
        <translation>Neustarts wieder aufgenommen</translation>
    </message>
    <message>
        <source>missed its heartbeat: killed, to be replaced</source>
        <translation>Heartbeat verpasst: beendet, wird ersetzt</translation>
    </message>
    <message>
        <source>rolling restart finished</source>
        <translation>rollierender Neustart abgeschlossen</translation>
    </message>
    <message>
        <source>rolling restart failed: %1</source>
        <translation>rollierender Neustart fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>keeps %n worker(s)</source>
        <translation>
            <numerusform>behält %n Worker</numerusform>
            <numerusform>behält %n Worker</numerusform>
        </translation>
    </message>
    <message>
        <source>shutdown finished: every worker is gone</source>
        <translation>Herunterfahren abgeschlossen: alle Worker sind beendet</translation>
    </message>
    <message>
        <source>rolling restart: every worker is replaced, one after the other</source>
        <translation>rollierender Neustart: jeder Worker wird ersetzt, einer nach dem anderen</translation>
    </message>
    <message>
        <source>resume respawning</source>
        <translation>Neustarts wieder aufnehmen</translation>
    </message>
</context>
<context>
    <name>Monitor::EventLogModel</name>
    <message>
        <source>local socket</source>
        <translation>lokaler Socket</translation>
    </message>
    <message>
        <source>program %1, arguments &quot;%2&quot;, output %3, policy %4</source>
        <translation>Programm %1, Argumente „%2“, Ausgabe %3, Strategie %4</translation>
    </message>
    <message>
        <source>captured</source>
        <translation>aufgefangen</translation>
    </message>
    <message>
        <source>passed through</source>
        <translation>durchgereicht</translation>
    </message>
    <message>
        <source>forked</source>
        <translation>geforkt</translation>
    </message>
    <message>
        <source>online, process %1</source>
        <translation>online, Prozess %1</translation>
    </message>
    <message>
        <source>listening on %1 (%2)</source>
        <translation>lauscht auf %1 (%2)</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>ended by %1</source>
        <translation>durch %1 beendet</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>mit Code %1 beendet</translation>
    </message>
    <message>
        <source>%1 (asked for)</source>
        <translation>%1 (angefordert)</translation>
    </message>
    <message>
        <source>%1 (not asked for)</source>
        <translation>%1 (nicht angefordert)</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Einrichtung</translation>
    </message>
    <message>
        <source>Fork</source>
        <translation>Fork</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Lauschen</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennung</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>IPv4 and IPv6</source>
        <translation>IPv4 und IPv6</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>exited %1 ms after it came online, without listening: did its own server fail on a port another worker took?</source>
        <translation>%1 ms nach dem Online-Gehen beendet, ohne zu lauschen: Ist sein eigener Server an einem Port gescheitert, den ein anderer Worker belegt hat?</translation>
    </message>
    <message>
        <source>not listening %1 ms after it came online: it takes no share of the cluster&apos;s connections (a plain QTcpServer, QHttpServer::listen()?)</source>
        <translation>lauscht %1 ms nach dem Online-Gehen noch nicht: Er erhält keinen Anteil an den Verbindungen des Clusters (ein einfacher QTcpServer, QHttpServer::listen()?)</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <source>the window fell behind the workers; not shown: %1 messages, %2 pieces of output</source>
        <translation>das Fenster kam mit den Workern nicht mit; nicht angezeigt: %1 Nachrichten, %2 Ausgabestücke</translation>
    </message>
</context>
<context>
    <name>Monitor::EventLogView</name>
    <message>
        <source>F&amp;ollow</source>
        <translation>&amp;Mitlaufen</translation>
    </message>
    <message>
        <source>Which kinds of events to show</source>
        <translation>Welche Arten von Ereignissen angezeigt werden</translation>
    </message>
    <message>
        <source>Show All</source>
        <translation>Alle anzeigen</translation>
    </message>
    <message>
        <source>Hide Messages</source>
        <translation>Nachrichten ausblenden</translation>
    </message>
    <message>
        <source>Show the events of one worker only</source>
        <translation>Nur die Ereignisse eines Workers anzeigen</translation>
    </message>
    <message>
        <source>Filter text (Ctrl+F)</source>
        <translation>Text filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Show only events whose details contain this text</source>
        <translation>Nur Ereignisse anzeigen, deren Details diesen Text enthalten</translation>
    </message>
    <message>
        <source>Keep the newest event in sight</source>
        <translation>Das neueste Ereignis im Blick behalten</translation>
    </message>
    <message>
        <source>Export the events shown to a CSV file</source>
        <translation>Die angezeigten Ereignisse in eine CSV-Datei exportieren</translation>
    </message>
    <message>
        <source>Clear the event log</source>
        <translation>Das Ereignisprotokoll leeren</translation>
    </message>
    <message>
        <source>All workers</source>
        <translation>Alle Worker</translation>
    </message>
    <message>
        <source>Worker %1</source>
        <translation>Worker %1</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <source>%1 of %2 kinds</source>
        <translation>%1 von %2 Arten</translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation>%1 Ereignisse</translation>
    </message>
    <message>
        <source>%1 of %2 events</source>
        <translation>%1 von %2 Ereignissen</translation>
    </message>
    <message>
        <source>The log keeps the newest %1 events; %2 logged since the start</source>
        <translation>Das Protokoll behält die neuesten %1 Ereignisse; %2 seit dem Start protokolliert</translation>
    </message>
    <message>
        <source>Export Event Log</source>
        <translation>Ereignisprotokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Monitor::FailureBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Hide this message until the next failure</source>
        <translation>Diese Meldung bis zum nächsten Fehler ausblenden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Monitor::FleetModel</name>
    <message>
        <source>local</source>
        <translation>lokal</translation>
    </message>
    <message>
        <source>Restarting</source>
        <translation>Neustart läuft</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>ssh: %1</source>
        <translation>ssh: %1</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindet…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbindet erneut…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Detached</source>
        <translation>Losgelöst</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>gave up</source>
        <translation>aufgegeben</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Crash loop</source>
        <translation>Absturzschleife</translation>
    </message>
    <message>
        <source>%1 is in the fleet already.</source>
        <translation>%1 ist bereits in der Flotte.</translation>
    </message>
    <message>
        <source>The fleet holds at most %1 clusters.</source>
        <translation>Die Flotte umfasst höchstens %1 Cluster.</translation>
    </message>
</context>
<context>
    <name>Monitor::FleetView</name>
    <message>
        <source>&amp;Add…</source>
        <translation>Hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Öffnen</translation>
    </message>
    <message>
        <source>Watch one more cluster: a control endpoint of this user, or ssh://[user@]host[:port]/NAME on another host</source>
        <translation>Einen weiteren Cluster beobachten: einen Steuerungsendpunkt dieses Benutzers oder ssh://[user@]host[:port]/NAME auf einem anderen Rechner</translation>
    </message>
    <message>
        <source>Stop watching the selected cluster; it runs on</source>
        <translation>Den gewählten Cluster nicht mehr beobachten; er läuft weiter</translation>
    </message>
    <message>
        <source>Show the selected cluster in the cluster view</source>
        <translation>Den gewählten Cluster in der Cluster-Ansicht zeigen</translation>
    </message>
    <message>
        <source>Add a Cluster</source>
        <translation>Cluster hinzufügen</translation>
    </message>
    <message>
        <source>Control endpoint: a name of this user, or ssh://[user@]host[:port]/NAME</source>
        <translation>Steuerungsendpunkt: ein Name dieses Benutzers oder ssh://[user@]host[:port]/NAME</translation>
    </message>
</context>
<context>
    <name>Monitor::HeadlessRunner</name>
    <message>
        <source>worker %1: %2</source>
        <translation>Worker %1: %2</translation>
    </message>
    <message>
        <source>worker %1 online, process %2</source>
        <translation>Worker %1 online, Prozess %2</translation>
    </message>
    <message>
        <source>worker %1 listening on %2</source>
        <translation>Worker %1 lauscht auf %2</translation>
    </message>
    <message>
        <source>worker %1 disconnected</source>
        <translation>Worker %1 getrennt</translation>
    </message>
    <message>
        <source>worker %1 ended by %2</source>
        <translation>Worker %1 durch %2 beendet</translation>
    </message>
    <message>
        <source>worker %1 exited with code %2</source>
        <translation>Worker %1 mit Code %2 beendet</translation>
    </message>
    <message>
        <source>no workers left; stopping</source>
        <translation>keine Worker mehr; wird angehalten</translation>
    </message>
    <message>
        <source>worker %1 error: %2</source>
        <translation>Worker %1 Fehler: %2</translation>
    </message>
    <message>
        <source>cluster stopped</source>
        <translation>Cluster angehalten</translation>
    </message>
    <message numerus="yes">
        <source>starting %n worker(s) of %1 (policy %2); Ctrl-C stops them</source>
        <translation>
            <numerusform>starte %n Worker von %1 (Strategie %2); Strg-C hält ihn an</numerusform>
            <numerusform>starte %n Worker von %1 (Strategie %2); Strg-C hält sie an</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 again: killing the workers</source>
        <translation>erneut %1: die Worker werden beendet</translation>
    </message>
    <message>
        <source>%1: stopping the workers (again to kill them)</source>
        <translation>%1: die Worker werden angehalten (erneut, um sie zu beenden)</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) alive</source>
        <translation>
            <numerusform>%n Worker aktiv</numerusform>
            <numerusform>%n Worker aktiv</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 requests, %2 requests/s, policy %3, port %4</source>
        <translation>%1 Anfragen, %2 Anfragen/s, Strategie %3, Port %4</translation>
    </message>
</context>
<context>
    <name>Monitor::MainWindow</name>
    <message>
        <source>No endpoint %1</source>
        <translation>Kein Endpunkt %1</translation>
    </message>
    <message>
        <source>Cluster Monitor</source>
        <translation>Cluster-Monitor</translation>
    </message>
    <message>
        <source>cluster stopped</source>
        <translation>Cluster angehalten</translation>
    </message>
    <message>
        <source>&amp;New Cluster…</source>
        <translation>&amp;Neuer Cluster…</translation>
    </message>
    <message>
        <source>Start a cluster with another program, workers or policy</source>
        <translation>Einen Cluster mit anderem Programm, anderen Workern oder anderer Strategie starten</translation>
    </message>
    <message>
        <source>&amp;Fork</source>
        <translation>&amp;Forken</translation>
    </message>
    <message>
        <source>Fork one more worker</source>
        <translation>Einen weiteren Worker forken</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>Let the selected workers finish their connections and exit</source>
        <translation>Die gewählten Worker ihre Verbindungen abschließen und sich beenden lassen</translation>
    </message>
    <message>
        <source>&amp;Kill With</source>
        <translation>Abschießen &amp;mit</translation>
    </message>
    <message>
        <source>Send %1 to the selected workers</source>
        <translation>%1 an die gewählten Worker senden</translation>
    </message>
    <message>
        <source>&amp;Kill</source>
        <translation>A&amp;bschießen</translation>
    </message>
    <message>
        <source>Send SIGTERM to the selected workers (the arrow offers other signals)</source>
        <translation>SIGTERM an die gewählten Worker senden (der Pfeil bietet andere Signale)</translation>
    </message>
    <message>
        <source>&amp;Scale</source>
        <translation>&amp;Skalieren</translation>
    </message>
    <message>
        <source>Fork or disconnect workers until as many run as the spin box says (the newest go first)</source>
        <translation>Worker forken oder trennen, bis so viele laufen wie im Drehfeld angegeben (die neuesten gehen zuerst)</translation>
    </message>
    <message>
        <source>Send &amp;Message…</source>
        <translation>&amp;Nachricht senden…</translation>
    </message>
    <message>
        <source>Send a JSON message to one worker or to all</source>
        <translation>Eine JSON-Nachricht an einen oder alle Worker senden</translation>
    </message>
    <message>
        <source>Disconnect &amp;All</source>
        <translation>&amp;Alle trennen</translation>
    </message>
    <message>
        <source>Disconnect every worker gracefully</source>
        <translation>Alle Worker geordnet trennen</translation>
    </message>
    <message>
        <source>&amp;Remove Exited Workers</source>
        <translation>Beendete Worker &amp;entfernen</translation>
    </message>
    <message>
        <source>Remove the rows of workers that have exited from the table</source>
        <translation>Die Zeilen beendeter Worker aus der Tabelle entfernen</translation>
    </message>
    <message>
        <source>Show &amp;Events of This Worker</source>
        <translation>&amp;Ereignisse dieses Workers zeigen</translation>
    </message>
    <message>
        <source>Show &amp;Output of This Worker</source>
        <translation>&amp;Ausgabe dieses Workers zeigen</translation>
    </message>
    <message>
        <source>&amp;Export Event Log…</source>
        <translation>Ereignisprotokoll &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the events shown in the log as CSV</source>
        <translation>Die angezeigten Ereignisse als CSV speichern</translation>
    </message>
    <message>
        <source>&amp;Clear Event Log</source>
        <translation>Ereignisprotokoll &amp;leeren</translation>
    </message>
    <message>
        <source>&amp;Filter Event Log</source>
        <translation>Ereignisprotokoll &amp;filtern</translation>
    </message>
    <message>
        <source>&amp;Per-Worker Lines in Chart</source>
        <translation>&amp;Linien pro Worker im Diagramm</translation>
    </message>
    <message>
        <source>Request &amp;Chart</source>
        <translation>Anfragen-&amp;Diagramm</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>B&amp;eenden</translation>
    </message>
    <message>
        <source>Event Log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <source>&amp;Worker</source>
        <translation>&amp;Worker</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Protokoll</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Cluster Monitor</source>
        <translation>&amp;Über Cluster-Monitor</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Workers:</source>
        <translation>Worker:</translation>
    </message>
    <message>
        <source>How many workers Scale keeps running; Enter applies it</source>
        <translation>Wie viele Worker „Skalieren“ laufen lässt; Eingabetaste wendet es an</translation>
    </message>
    <message>
        <source>The cluster&apos;s state</source>
        <translation>Der Zustand des Clusters</translation>
    </message>
    <message>
        <source>Workers running and not asked to stop</source>
        <translation>Laufende Worker, die nicht zum Anhalten aufgefordert wurden</translation>
    </message>
    <message>
        <source>Requests per second, all workers</source>
        <translation>Anfragen pro Sekunde, alle Worker</translation>
    </message>
    <message>
        <source>How the workers share the port</source>
        <translation>Wie sich die Worker den Port teilen</translation>
    </message>
    <message>
        <source>The port the workers listen on</source>
        <translation>Der Port, auf dem die Worker lauschen</translation>
    </message>
    <message numerus="yes">
        <source>new cluster: %n worker(s) of %1</source>
        <translation>
            <numerusform>neuer Cluster: %n Worker von %1</numerusform>
            <numerusform>neuer Cluster: %n Worker von %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — Cluster Monitor</source>
        <translation>%1 — Cluster-Monitor</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>%1 requests/s</source>
        <translation>%1 Anfragen/s</translation>
    </message>
    <message>
        <source>Policy: %1</source>
        <translation>Strategie: %1</translation>
    </message>
    <message>
        <source>Policy: -</source>
        <translation>Strategie: -</translation>
    </message>
    <message>
        <source>Port: %1</source>
        <translation>Port: %1</translation>
    </message>
    <message>
        <source>Port: -</source>
        <translation>Port: -</translation>
    </message>
    <message numerus="yes">
        <source>Sent to %n worker(s).</source>
        <translation>
            <numerusform>An %n Worker gesendet.</numerusform>
            <numerusform>An %n Worker gesendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: no connected worker.</source>
        <translation>Nicht gesendet: kein verbundener Worker.</translation>
    </message>
    <message>
        <source>About Cluster Monitor</source>
        <translation>Über Cluster-Monitor</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Cluster Monitor&lt;/h3&gt;&lt;p&gt;Watches and steers a libcluster cluster: Node&apos;s cluster module, re-made with Qt.&lt;/p&gt;&lt;p&gt;Workers, their connections, requests, CPU and memory; every cluster event; the workers&apos; output.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Cluster-Monitor&lt;/h3&gt;&lt;p&gt;Beobachtet und steuert einen libcluster-Cluster: das cluster-Modul von Node, neu gebaut mit Qt.&lt;/p&gt;&lt;p&gt;Worker, ihre Verbindungen, Anfragen, CPU und Speicher; jedes Cluster-Ereignis; die Ausgabe der Worker.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Stopping the workers before quitting…</source>
        <translation>Die Worker werden vor dem Beenden angehalten…</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Anhängen…</translation>
    </message>
    <message>
        <source>Show a cluster another primary runs (cluster-run --control NAME), through its control endpoint</source>
        <translation>Einen Cluster zeigen, den ein anderer Primärprozess betreibt (cluster-run --control NAME), über dessen Steuerungsendpunkt</translation>
    </message>
    <message>
        <source>De&amp;tach</source>
        <translation>Los&amp;lösen</translation>
    </message>
    <message>
        <source>Let go of the attached cluster; it runs on</source>
        <translation>Den angehängten Cluster loslassen; er läuft weiter</translation>
    </message>
    <message>
        <source>The control endpoint: where cluster-run ctl, or another monitor, reaches this cluster; or the one the monitor is attached to</source>
        <translation>Der Steuerungsendpunkt: wo cluster-run ctl oder ein anderer Monitor diesen Cluster erreicht; oder der, an dem der Monitor hängt</translation>
    </message>
    <message>
        <source>%1 on %2 — Cluster Monitor</source>
        <translation>%1 auf %2 — Cluster-Monitor</translation>
    </message>
    <message>
        <source>Attached</source>
        <translation>Angehängt</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindet…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbindet erneut…</translation>
    </message>
    <message>
        <source>Detached</source>
        <translation>Losgelöst</translation>
    </message>
    <message>
        <source>Endpoint: -</source>
        <translation>Endpunkt: -</translation>
    </message>
    <message>
        <source>Endpoint: %1 (primary %2)</source>
        <translation>Endpunkt: %1 (Primärprozess %2)</translation>
    </message>
    <message>
        <source>Endpoint: %1</source>
        <translation>Endpunkt: %1</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <source>Workers: unknown</source>
        <translation>Worker: unbekannt</translation>
    </message>
    <message>
        <source>Rolling &amp;Restart</source>
        <translation>Rollierender &amp;Neustart</translation>
    </message>
    <message>
        <source>Replace every worker, one after the other, each once its successor listens: no request is lost</source>
        <translation>Jeden Worker ersetzen, einen nach dem anderen, jeden erst, wenn sein Nachfolger lauscht: keine Anfrage geht verloren</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Respawn workers again after the supervisor gave up on a crash loop</source>
        <translation>Worker wieder neu starten, nachdem der Supervisor bei einer Absturzschleife aufgegeben hat</translation>
    </message>
    <message>
        <source>&amp;Hide Exited Workers</source>
        <translation>&amp;Beendete Worker ausblenden</translation>
    </message>
    <message>
        <source>Show only the workers that still run</source>
        <translation>Nur die Worker zeigen, die noch laufen</translation>
    </message>
    <message>
        <source>&amp;Requests per Second</source>
        <translation>&amp;Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>&amp;CPU</source>
        <translation>&amp;CPU</translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation>&amp;Speicher</translation>
    </message>
    <message>
        <source>Chart &amp;Shows</source>
        <translation>&amp;Diagramm zeigt</translation>
    </message>
    <message>
        <source>Worker %1 failed</source>
        <translation>Worker %1 ist fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n worker(s)</source>
        <translation>
            <numerusform>%1 von %n Worker</numerusform>
            <numerusform>%1 von %n Workern</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 stopping</source>
        <translation>%1 werden angehalten</translation>
    </message>
    <message numerus="yes">
        <source>%n crashed</source>
        <translation>
            <numerusform>%n abgestürzt</numerusform>
            <numerusform>%n abgestürzt</numerusform>
        </translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>Neustart läuft</translation>
    </message>
    <message>
        <source>gave up</source>
        <translation>aufgegeben</translation>
    </message>
    <message>
        <source>Worker %1 was ended by %2 without being asked to</source>
        <translation>Worker %1 wurde ungefragt durch %2 beendet</translation>
    </message>
    <message>
        <source>Worker %1 exited unexpectedly with code %2</source>
        <translation>Worker %1 hat sich unerwartet mit Code %2 beendet</translation>
    </message>
    <message>
        <source>The workers keep crashing: respawning stopped</source>
        <translation>Die Worker stürzen immer wieder ab: keine Neustarts mehr</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>ssh: %1</source>
        <translation>ssh: %1</translation>
    </message>
</context>
<context>
    <name>Monitor::NewClusterDialog</name>
    <message>
        <source>&amp;Capture the workers&apos; output (silent)</source>
        <translation>Ausgabe der Worker &amp;auffangen (silent)</translation>
    </message>
    <message>
        <source>New Cluster</source>
        <translation>Neuer Cluster</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the worker program</source>
        <translation>Das Worker-Programm wählen</translation>
    </message>
    <message>
        <source>The program every worker runs; it must use libcluster</source>
        <translation>Das Programm, das jeder Worker ausführt; es muss libcluster verwenden</translation>
    </message>
    <message>
        <source>The workers&apos; arguments, quoted as in a shell, e.g. --port 8000</source>
        <translation>Die Argumente der Worker, wie in einer Shell maskiert, z. B. --port 8000</translation>
    </message>
    <message>
        <source>e.g. --port 8000</source>
        <translation>z. B. --port 8000</translation>
    </message>
    <message numerus="yes">
        <source>How many workers to fork at the start (this machine has %n core(s))</source>
        <translation>
            <numerusform>Wie viele Worker beim Start geforkt werden (dieser Rechner hat %n Kern)</numerusform>
            <numerusform>Wie viele Worker beim Start geforkt werden (dieser Rechner hat %n Kerne)</numerusform>
        </translation>
    </message>
    <message>
        <source>Round-robin</source>
        <translation>Round-Robin</translation>
    </message>
    <message>
        <source>The primary accepts each connection and hands it to the next worker that is not busy</source>
        <translation>Der Primärprozess nimmt jede Verbindung an und gibt sie dem nächsten Worker, der nicht beschäftigt ist</translation>
    </message>
    <message>
        <source>Shared socket</source>
        <translation>Gemeinsamer Socket</translation>
    </message>
    <message>
        <source>Every worker accepts on the same socket; the kernel decides, often unevenly</source>
        <translation>Jeder Worker nimmt am selben Socket an; der Kernel entscheidet, oft ungleichmäßig</translation>
    </message>
    <message>
        <source>SO_REUSEPORT</source>
        <translation>SO_REUSEPORT</translation>
    </message>
    <message>
        <source>Each worker listens on its own socket; the kernel balances</source>
        <translation>Jeder Worker lauscht auf einem eigenen Socket; der Kernel verteilt</translation>
    </message>
    <message>
        <source>Least connections</source>
        <translation>Wenigste Verbindungen</translation>
    </message>
    <message>
        <source>The worker with the fewest open connections gets the next one</source>
        <translation>Der Worker mit den wenigsten offenen Verbindungen bekommt die nächste</translation>
    </message>
    <message>
        <source>Sticky</source>
        <translation>Sticky</translation>
    </message>
    <message>
        <source>Connections from one client address go to the same worker while it lives</source>
        <translation>Verbindungen von einer Client-Adresse gehen an denselben Worker, solange er lebt</translation>
    </message>
    <message>
        <source>Show each worker&apos;s stdout and stderr in the Output panel instead of passing them to the monitor&apos;s terminal</source>
        <translation>stdout und stderr jedes Workers im Bereich „Ausgabe“ zeigen, statt sie an das Terminal des Monitors durchzureichen</translation>
    </message>
    <message>
        <source>&amp;Program:</source>
        <translation>&amp;Programm:</translation>
    </message>
    <message>
        <source>&amp;Arguments:</source>
        <translation>&amp;Argumente:</translation>
    </message>
    <message>
        <source>&amp;Workers:</source>
        <translation>&amp;Worker:</translation>
    </message>
    <message>
        <source>Scheduling &amp;policy:</source>
        <translation>Verteilungs&amp;strategie:</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Restore &amp;Defaults</source>
        <translation>&amp;Standardwerte</translation>
    </message>
    <message>
        <source>hello-http, one worker per core, port 8000, round-robin</source>
        <translation>hello-http, ein Worker pro Kern, Port 8000, Round-Robin</translation>
    </message>
    <message>
        <source>The running cluster is stopped first: its workers are asked to disconnect, and killed if they have not gone after a few seconds.</source>
        <translation>Der laufende Cluster wird zuerst angehalten: Seine Worker werden gebeten, sich zu trennen, und beendet, wenn sie nach einigen Sekunden nicht gegangen sind.</translation>
    </message>
    <message>
        <source>Worker Program</source>
        <translation>Worker-Programm</translation>
    </message>
    <message>
        <source>Choose the program the workers run.</source>
        <translation>Wählen Sie das Programm, das die Worker ausführen.</translation>
    </message>
    <message>
        <source>%1 is not an executable program.</source>
        <translation>%1 ist kein ausführbares Programm.</translation>
    </message>
    <message>
        <source>The name of the cluster&apos;s control endpoint, for cluster-run ctl NAME or another monitor; empty: %1</source>
        <translation>Der Name des Steuerungsendpunkts des Clusters, für cluster-run ctl NAME oder einen anderen Monitor; leer: %1</translation>
    </message>
    <message>
        <source>Control &amp;endpoint:</source>
        <translation>Steuerungs&amp;endpunkt:</translation>
    </message>
    <message>
        <source>An endpoint name is 1 to 64 letters, digits, dots, dashes and underscores, not starting with a dot.</source>
        <translation>Ein Endpunktname besteht aus 1 bis 64 Buchstaben, Ziffern, Punkten, Bindestrichen und Unterstrichen und beginnt nicht mit einem Punkt.</translation>
    </message>
    <message>
        <source>&amp;Respawn workers that exit unexpectedly</source>
        <translation>Unerwartet beendete Worker &amp;neu starten</translation>
    </message>
    <message>
        <source>Keep the number of workers: one that crashes is replaced after a growing delay; one that is killed or disconnected at once</source>
        <translation>Die Anzahl der Worker halten: ein abgestürzter wird nach wachsender Verzögerung ersetzt, ein beendeter oder getrennter sofort</translation>
    </message>
    <message>
        <source> crashes</source>
        <translation> Abstürzen</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A crash loop stops the respawning: one worker slot crashing more often than this within the time given, or more workers in a row than this (at least as many as there are workers) dying before they are ready. Several workers dying together is no crash loop.</source>
        <translation>Eine Absturzschleife beendet die Neustarts: ein Worker-Platz, der in der angegebenen Zeit öfter abstürzt, oder mehr Worker nacheinander (mindestens so viele, wie es Worker gibt), die enden, bevor sie bereit sind. Mehrere Worker, die zugleich enden, sind keine Absturzschleife.</translation>
    </message>
    <message>
        <source>Give up after</source>
        <translation>Aufgeben nach</translation>
    </message>
    <message>
        <source>of one worker within</source>
        <translation>eines Workers innerhalb von</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>wait for ever</source>
        <translation>unbegrenzt warten</translation>
    </message>
    <message>
        <source>Kill a disconnecting worker after this long: keep-alive connections may hold it for ever (cluster-run --disconnect-timeout)</source>
        <translation>Einen Worker, der sich trennt, nach dieser Zeit mit SIGKILL beenden: Keep-alive-Verbindungen können ihn sonst ewig halten (cluster-run --disconnect-timeout)</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>Replace a worker, through a rolling restart of that worker, when its resident memory exceeds this (cluster-run --max-memory)</source>
        <translation>Einen Worker durch einen rollierenden Neustart ersetzen, wenn sein residenter Speicher dies übersteigt (cluster-run --max-memory)</translation>
    </message>
    <message>
        <source> requests</source>
        <translation> Anfragen</translation>
    </message>
    <message>
        <source>Replace a worker once it has served this many requests (cluster-run --max-requests)</source>
        <translation>Einen Worker ersetzen, sobald er so viele Anfragen bedient hat (cluster-run --max-requests)</translation>
    </message>
    <message>
        <source>S&amp;hutdown timeout:</source>
        <translation>&amp;Zeitlimit beim Anhalten:</translation>
    </message>
    <message>
        <source>D&amp;isconnect timeout:</source>
        <translation>Zeitlimit beim &amp;Trennen:</translation>
    </message>
    <message>
        <source>Memory &amp;limit:</source>
        <translation>Speicher&amp;grenze:</translation>
    </message>
    <message>
        <source>Re&amp;quest limit:</source>
        <translation>Anfrage&amp;grenze:</translation>
    </message>
    <message>
        <source>When the cluster stops (New Cluster, Attach, Quit, cluster-run ctl shutdown): kill what still runs after this long (cluster-run --shutdown-timeout)</source>
        <translation>Wenn der Cluster anhält (Neuer Cluster, Anhängen, Beenden des Monitors, cluster-run ctl shutdown): was danach noch läuft, mit SIGKILL beenden (cluster-run --shutdown-timeout)</translation>
    </message>
    <message>
        <source>off (e.g. 127.0.0.1:9464)</source>
        <translation>aus (z. B. 127.0.0.1:9464)</translation>
    </message>
    <message>
        <source>Serve Prometheus metrics (/metrics) and health probes (/healthz, /readyz) on ADDRESS:PORT, or on loopback for a bare PORT; empty: off</source>
        <translation>Prometheus-Metriken (/metrics) und Zustandsprüfungen (/healthz, /readyz) unter ADRESSE:PORT bereitstellen, bei bloßem PORT auf Loopback; leer: aus</translation>
    </message>
    <message>
        <source>Me&amp;trics address:</source>
        <translation>Me&amp;triken-Adresse:</translation>
    </message>
    <message>
        <source>Metrics address: %1</source>
        <translation>Metriken-Adresse: %1</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Fill the form from a cluster-run configuration file (cluster-run --config FILE)</source>
        <translation>Das Formular aus einer Konfigurationsdatei von cluster-run füllen (cluster-run --config DATEI)</translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation>Spei&amp;chern…</translation>
    </message>
    <message>
        <source>Write the form as a configuration file that cluster-run --config FILE runs the same way</source>
        <translation>Das Formular als Konfigurationsdatei schreiben, die cluster-run --config DATEI genauso ausführt</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weiterer</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Not opened; the form is unchanged:
%1</source>
        <translation>Nicht geöffnet; das Formular ist unverändert:
%1</translation>
    </message>
    <message>
        <source>Open Cluster Configuration</source>
        <translation>Cluster-Konfiguration öffnen</translation>
    </message>
    <message>
        <source>%1 holds several clusters. Which one?</source>
        <translation>%1 enthält mehrere Cluster. Welchen?</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>%1 geöffnet.</translation>
    </message>
    <message>
        <source>Opened cluster %1 of %2.</source>
        <translation>Cluster %1 aus %2 geöffnet.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Not saved: %1: %2</source>
        <translation>Nicht gespeichert: %1: %2</translation>
    </message>
    <message>
        <source>Saved to %1; run it with %2</source>
        <translation>In %1 gespeichert; starten mit %2</translation>
    </message>
    <message>
        <source>Cluster configurations (*.conf *.ini);;All files (*)</source>
        <translation>Cluster-Konfigurationen (*.conf *.ini);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save Cluster Configuration</source>
        <translation>Cluster-Konfiguration speichern</translation>
    </message>
    <message>
        <source>Also from the file, applied, with no field here: %1.</source>
        <translation>Außerdem aus der Datei übernommen, ohne Feld hier: %1.</translation>
    </message>
    <message>
        <source>Kept for Save, NOT applied by the monitor (cluster-run only): %1.</source>
        <translation>Für Speichern behalten, vom Monitor NICHT angewendet (nur cluster-run): %1.</translation>
    </message>
    <message>
        <source>Used exactly as given, shown rounded until you change it: %1.</source>
        <translation>Genau wie angegeben verwendet, gerundet angezeigt, bis Sie es ändern: %1.</translation>
    </message>
</context>
<context>
    <name>Monitor::OutputView</name>
    <message>
        <source>Whose output to show</source>
        <translation>Wessen Ausgabe gezeigt wird</translation>
    </message>
    <message>
        <source>All workers</source>
        <translation>Alle Worker</translation>
    </message>
    <message>
        <source>Clear the captured output</source>
        <translation>Die aufgefangene Ausgabe leeren</translation>
    </message>
    <message>
        <source>Output is not captured: the workers write to the monitor&apos;s terminal. Start a cluster with &quot;Capture the workers&apos; output&quot; to see it here.</source>
        <translation>Die Ausgabe wird nicht aufgefangen: Die Worker schreiben in das Terminal des Monitors. Starten Sie einen Cluster mit „Ausgabe der Worker auffangen“, um sie hier zu sehen.</translation>
    </message>
    <message>
        <source>Worker %1</source>
        <translation>Worker %1</translation>
    </message>
    <message>
        <source>Output is not available: the attached primary does not capture its workers&apos; output, so it goes to that primary&apos;s terminal instead.</source>
        <translation>Keine Ausgabe verfügbar: Der angehängte Primärprozess fängt die Ausgabe seiner Worker nicht auf, sie geht stattdessen in sein Terminal.</translation>
    </message>
</context>
<context>
    <name>Monitor::RemoteClusterSource</name>
    <message>
        <source>attaching to the control endpoint %1</source>
        <translation>Anhängen an den Steuerungsendpunkt %1</translation>
    </message>
    <message>
        <source>detached from the control endpoint %1; its cluster runs on</source>
        <translation>vom Steuerungsendpunkt %1 losgelöst; sein Cluster läuft weiter</translation>
    </message>
    <message>
        <source>reconnected to %1: primary %2</source>
        <translation>wieder mit %1 verbunden: Primärprozess %2</translation>
    </message>
    <message>
        <source>attached to %1: primary %2</source>
        <translation>an %1 angehängt: Primärprozess %2</translation>
    </message>
    <message>
        <source>the primary behind %1 went away; waiting for it to come back</source>
        <translation>der Primärprozess hinter %1 ist weg; es wird auf seine Rückkehr gewartet</translation>
    </message>
    <message>
        <source>the new worker is forked once the rolling restart is over</source>
        <translation>der neue Worker wird geforkt, sobald der rollierende Neustart vorbei ist</translation>
    </message>
</context>
<context>
    <name>Monitor::RequestChart</name>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>-%1 min</source>
        <translation>-%1 min</translation>
    </message>
    <message>
        <source>Waiting for request counts…</source>
        <translation>Warte auf Anfragezahlen…</translation>
    </message>
    <message>
        <source>Total: %1 requests/s</source>
        <translation>Gesamt: %1 Anfragen/s</translation>
    </message>
    <message numerus="yes">
        <source>last %n minute(s)</source>
        <translation>
            <numerusform>letzte Minute</numerusform>
            <numerusform>letzte %n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weiterer</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Total: %1 % CPU</source>
        <translation>Gesamt: %1 % CPU</translation>
    </message>
    <message>
        <source>Total: %1 MiB resident</source>
        <translation>Gesamt: %1 MiB resident</translation>
    </message>
    <message>
        <source>Waiting for CPU and memory figures…</source>
        <translation>Warte auf CPU- und Speicherwerte…</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message>
        <source>Worker %1: %2</source>
        <translation>Worker %1: %2</translation>
    </message>
</context>
<context>
    <name>Monitor::SendMessageDialog</name>
    <message>
        <source>Send Message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <source>A JSON value, e.g. {&quot;cmd&quot;: &quot;reload&quot;}</source>
        <translation>Ein JSON-Wert, z. B. {&quot;cmd&quot;: &quot;reload&quot;}</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;An:</translation>
    </message>
    <message>
        <source>&amp;Message (JSON):</source>
        <translation>&amp;Nachricht (JSON):</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Formatieren</translation>
    </message>
    <message>
        <source>Indent the JSON</source>
        <translation>Das JSON einrücken</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>All connected workers</source>
        <translation>Alle verbundenen Worker</translation>
    </message>
    <message>
        <source>Worker %1 (process %2)</source>
        <translation>Worker %1 (Prozess %2)</translation>
    </message>
    <message>
        <source>Type a JSON value.</source>
        <translation>Geben Sie einen JSON-Wert ein.</translation>
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <source>Type one JSON value, not a list of values separated by commas.</source>
        <translation>Geben Sie einen einzigen JSON-Wert ein, keine durch Kommas getrennte Liste.</translation>
    </message>
    <message>
        <source>Valid JSON.</source>
        <translation>Gültiges JSON.</translation>
    </message>
</context>
<context>
    <name>Monitor::WorkerTableModel</name>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>listening</source>
        <translation>lauscht</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>exited</source>
        <translation>beendet</translation>
    </message>
    <message>
        <source>%1 d %2</source>
        <translation>%1 T %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>Code %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Worker %1 has been asked to stop</source>
        <translation>Worker %1 wurde zum Anhalten aufgefordert</translation>
    </message>
    <message>
        <source>Worker %1 was ended by %2</source>
        <translation>Worker %1 wurde durch %2 beendet</translation>
    </message>
    <message>
        <source>Worker %1 exited with code %2</source>
        <translation>Worker %1 hat sich mit Code %2 beendet</translation>
    </message>
    <message>
        <source>%1, as asked</source>
        <translation>%1, wie angefordert</translation>
    </message>
    <message>
        <source>%1, without being asked to</source>
        <translation>%1, ohne dazu aufgefordert zu sein</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Listening on</source>
        <translation>Lauscht auf</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>Asked to exit</source>
        <translation>Ende angefordert</translation>
    </message>
    <message>
        <source>The worker&apos;s id in the cluster</source>
        <translation>Die Nummer des Workers im Cluster</translation>
    </message>
    <message>
        <source>The worker&apos;s process id</source>
        <translation>Die Prozessnummer des Workers</translation>
    </message>
    <message>
        <source>Where the worker is in its life: starting, online, listening, disconnected, exited</source>
        <translation>Wo der Worker in seinem Leben steht: startet, online, lauscht, getrennt, beendet</translation>
    </message>
    <message>
        <source>Time since the worker was forked (until it exited)</source>
        <translation>Zeit seit dem Forken des Workers (bis zu seinem Ende)</translation>
    </message>
    <message>
        <source>Where the worker&apos;s servers listen</source>
        <translation>Wo die Server des Workers lauschen</translation>
    </message>
    <message>
        <source>Connections open now / accepted in total</source>
        <translation>Jetzt offene / insgesamt angenommene Verbindungen</translation>
    </message>
    <message>
        <source>Requests the worker counted (its &quot;requests&quot; counter)</source>
        <translation>Vom Worker gezählte Anfragen (sein Zähler „requests“)</translation>
    </message>
    <message>
        <source>Requests per second over the last second or so</source>
        <translation>Anfragen pro Sekunde, etwa über die letzte Sekunde</translation>
    </message>
    <message>
        <source>CPU use, percent of one core</source>
        <translation>CPU-Last in Prozent eines Kerns</translation>
    </message>
    <message>
        <source>Resident memory (RSS)</source>
        <translation>Belegter Arbeitsspeicher (RSS)</translation>
    </message>
    <message>
        <source>Exit code, or the signal that ended the worker</source>
        <translation>Exit-Code oder das Signal, das den Worker beendet hat</translation>
    </message>
    <message>
        <source>Whether the exit was asked for (disconnect or kill) rather than a crash</source>
        <translation>Ob das Ende angefordert war (Trennen oder Abschießen) statt eines Absturzes</translation>
    </message>
    <message>
        <source>As last seen: the primary does not answer now</source>
        <translation>Zuletzt gesehener Stand: der Primärprozess antwortet gerade nicht</translation>
    </message>
</context>
</TS>
