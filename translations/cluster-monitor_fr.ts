<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>CommandLine</name>
    <message>
        <source>Try &apos;cluster-monitor --help&apos; for more information.</source>
        <translation>Essayez « cluster-monitor --help » pour plus d’informations.</translation>
    </message>
    <message>
        <source>no control endpoint %1 exists; start the cluster with cluster-run --control %1, or see the running ones with cluster-run ctl --list</source>
        <translation>le point de contrôle %1 n’existe pas ; démarrez le cluster avec cluster-run --control %1, ou voyez ceux qui tournent avec cluster-run ctl --list</translation>
    </message>
    <message>
        <source>Starts a cluster of worker processes and monitors it. Without options: hello-http workers, one per core, on port 8000, round-robin.</source>
        <translation>Démarre une grappe de processus workers et la surveille. Sans option : des workers hello-http, un par cœur, sur le port 8000, en tourniquet.</translation>
    </message>
    <message>
        <source>Run without a window; print live counts to the terminal.</source>
        <translation>Fonctionner sans fenêtre ; afficher les compteurs en direct dans le terminal.</translation>
    </message>
    <message>
        <source>Language of the interface: de, fr or en.</source>
        <translation>Langue de l&apos;interface : de, fr ou en.</translation>
    </message>
    <message>
        <source>The worker program (default: hello-http). Its arguments follow after --.</source>
        <translation>Le programme des workers (par défaut : hello-http). Ses arguments suivent après --.</translation>
    </message>
    <message>
        <source>Port for hello-http (default: 8000).</source>
        <translation>Port de hello-http (par défaut : 8000).</translation>
    </message>
    <message>
        <source>Scheduling policy: rr, none, reuseport, leastconn, sticky.</source>
        <translation>Politique de répartition : rr, none, reuseport, leastconn, sticky.</translation>
    </message>
    <message>
        <source>Pass the workers&apos; output through instead of capturing it.</source>
        <translation>Laisser passer la sortie des workers au lieu de la capturer.</translation>
    </message>
    <message>
        <source>Start the cluster last chosen in the New cluster dialog.</source>
        <translation>Démarrer la grappe choisie en dernier dans la boîte « Nouvelle grappe ».</translation>
    </message>
    <message>
        <source>The worker program&apos;s arguments.</source>
        <translation>Les arguments du programme des workers.</translation>
    </message>
    <message>
        <source>Unknown language %1; use de, fr or en.</source>
        <translation>Langue %1 inconnue ; utilisez de, fr ou en.</translation>
    </message>
    <message>
        <source>Invalid port %1.</source>
        <translation>Port %1 invalide.</translation>
    </message>
    <message>
        <source>Unknown policy %1.</source>
        <translation>Politique %1 inconnue.</translation>
    </message>
    <message>
        <source>Name of the started cluster&apos;s control endpoint (default: monitor-PID).</source>
        <translation>Nom du point d&apos;accès de contrôle de la grappe démarrée (par défaut : monitor-PID).</translation>
    </message>
    <message>
        <source>Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not starting with a dot.</source>
        <translation>Nom de point d&apos;accès invalide %1 : 1 à 64 caractères parmi A-Z a-z 0-9 . _ -, sans point au début.</translation>
    </message>
    <message>
        <source>--attach needs the window; without a display, follow the cluster with: cluster-run ctl %1 watch</source>
        <translation>--attach a besoin de la fenêtre ; sans affichage, suivez la grappe avec : cluster-run ctl %1 watch</translation>
    </message>
    <message>
        <source>Number of workers, 0 to %1 (default: one per core).</source>
        <translation>Nombre de workers, de 0 à %1 (par défaut : un par cœur).</translation>
    </message>
    <message>
        <source>With --respawn: give up when one worker slot exits unexpectedly more than N times within --crash-window, or more than N (at least the number of workers) workers in a row die before they are ready (default %1).</source>
        <translation>Avec --respawn : abandonner quand une place de worker s’arrête de façon inattendue plus de N fois dans --crash-window, ou quand plus de N workers de suite (au moins le nombre de workers) meurent avant d’être prêts (par défaut : %1).</translation>
    </message>
    <message>
        <source>The time --crash-limit counts over, in milliseconds (default %1).</source>
        <translation>La durée sur laquelle --crash-limit compte, en millisecondes (par défaut : %1).</translation>
    </message>
    <message>
        <source>--crash-limit needs a whole number between 1 and %1, not &apos;%2&apos;.</source>
        <translation>--crash-limit attend un nombre entier entre 1 et %1, pas « %2 ».</translation>
    </message>
    <message>
        <source>--crash-window needs a number of milliseconds between 1 and %1, not &apos;%2&apos;.</source>
        <translation>--crash-window attend un nombre de millisecondes entre 1 et %1, pas « %2 ».</translation>
    </message>
    <message>
        <source>Replace workers that exit unexpectedly, with backoff; give up on a crash loop (the default).</source>
        <translation>Remplacer les workers qui s’arrêtent de façon inattendue, avec un délai croissant ; abandonner en cas de boucle de plantages (par défaut).</translation>
    </message>
    <message>
        <source>Leave workers that exit unexpectedly gone, as Node&apos;s cluster does.</source>
        <translation>Ne pas remplacer les workers qui s’arrêtent de façon inattendue, comme le cluster de Node.</translation>
    </message>
    <message>
        <source>--respawn and --no-respawn exclude each other.</source>
        <translation>--respawn et --no-respawn s’excluent mutuellement.</translation>
    </message>
    <message>
        <source>Start no cluster: attach to the one behind the control endpoint NAME (cluster-run --control NAME), or ssh://[user@]host[:port]/NAME on another host, and follow it, also across restarts.</source>
        <translation>Ne démarrer aucune grappe : s&apos;attacher à celle qui se trouve derrière le point d&apos;accès de contrôle NAME (cluster-run --control NAME), ou ssh://[user@]host[:port]/NAME sur une autre machine, et la suivre, y compris à travers ses redémarrages.</translation>
    </message>
    <message>
        <source>Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not starting with a dot; or ssh://[user@]host[:port]/NAME for one on another host.</source>
        <translation>Nom de point d&apos;accès invalide %1 : 1 à 64 caractères parmi A-Z a-z 0-9 . _ -, sans point au début ; pour un point d&apos;accès sur une autre machine : ssh://[user@]host[:port]/NAME.</translation>
    </message>
</context>
<context>
    <name>Monitor::AttachDialog</name>
    <message>
        <source>Attach to a Cluster</source>
        <translation>S&apos;attacher à une grappe</translation>
    </message>
    <message>
        <source>The clusters of this user that expose a control endpoint (cluster-run --control NAME, or another monitor):</source>
        <translation>Les grappes de cet utilisateur qui offrent un point d&apos;accès de contrôle (cluster-run --control NOM, ou un autre moniteur) :</translation>
    </message>
    <message>
        <source>Live control endpoints; double-click one to attach</source>
        <translation>Points d&apos;accès de contrôle actifs ; double-cliquez sur l&apos;un d&apos;eux pour vous y attacher</translation>
    </message>
    <message>
        <source>The endpoint&apos;s name; a primary that has not opened it yet is waited for</source>
        <translation>Le nom du point d&apos;accès ; un processus primaire qui ne l&apos;a pas encore ouvert est attendu</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Point d&apos;accès :</translation>
    </message>
    <message>
        <source>The cluster this monitor started, if any, is stopped first. An attached cluster runs on when the monitor lets go of it.</source>
        <translation>La grappe démarrée par ce moniteur, s&apos;il y en a une, est d&apos;abord arrêtée. Une grappe attachée continue de tourner quand le moniteur la lâche.</translation>
    </message>
    <message>
        <source>&amp;Attach</source>
        <translation>&amp;Attacher</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Look for live control endpoints again</source>
        <translation>Chercher à nouveau les points d&apos;accès de contrôle actifs</translation>
    </message>
    <message>
        <source>No control endpoint found</source>
        <translation>Aucun point d&apos;accès de contrôle trouvé</translation>
    </message>
    <message>
        <source>%1 is this monitor&apos;s own endpoint.</source>
        <translation>%1 est le point d&apos;accès de ce moniteur lui-même.</translation>
    </message>
    <message>
        <source>e.g. web, or ssh://user@host/web</source>
        <translation>p. ex. web, ou ssh://user@host/web</translation>
    </message>
    <message>
        <source>An endpoint name is 1 to 64 letters, digits, dots, dashes and underscores, not starting with a dot; or ssh://[user@]host[:port]/NAME for one on another host.</source>
        <translation>Un nom de point d&apos;accès compte 1 à 64 lettres, chiffres, points, tirets et tirets bas, et ne commence pas par un point ; pour un point d&apos;accès sur une autre machine : ssh://[user@]host[:port]/NAME.</translation>
    </message>
</context>
<context>
    <name>Monitor::ClusterController</name>
    <message>
        <source>stopping the cluster</source>
        <translation>arrêt de la grappe</translation>
    </message>
    <message>
        <source>no connected worker</source>
        <translation>aucun worker connecté</translation>
    </message>
</context>
<context>
    <name>Monitor::ClusterHost</name>
    <message>
        <source>still running after %1 s: killed with SIGKILL</source>
        <translation>toujours actif après %1 s : tué par SIGKILL</translation>
    </message>
    <message>
        <source>command from the control endpoint: %1</source>
        <translation>commande reçue par le point d&apos;accès de contrôle : %1</translation>
    </message>
    <message>
        <source>control endpoint %1 open (cluster-run ctl %1 status)</source>
        <translation>point d&apos;accès de contrôle %1 ouvert (cluster-run ctl %1 status)</translation>
    </message>
    <message>
        <source>cannot open the control endpoint %1: %2</source>
        <translation>impossible d&apos;ouvrir le point d&apos;accès de contrôle %1 : %2</translation>
    </message>
    <message>
        <source>cannot serve metrics: %1</source>
        <translation>impossible de servir les métriques : %1</translation>
    </message>
    <message>
        <source>metrics on http://%1:%2/metrics</source>
        <translation>métriques sur http://%1:%2/metrics</translation>
    </message>
</context>
<context>
    <name>Monitor::ClusterSource</name>
    <message>
        <source>scale from %1 to %2 workers</source>
        <translation>mise à l&apos;échelle de %1 à %2 workers</translation>
    </message>
    <message>
        <source>disconnect requested</source>
        <translation>déconnexion demandée</translation>
    </message>
    <message>
        <source>kill with %1 requested</source>
        <translation>arrêt par %1 demandé</translation>
    </message>
    <message>
        <source>the cluster is not running</source>
        <translation>la grappe n&apos;est pas en marche</translation>
    </message>
    <message>
        <source>disconnect all workers</source>
        <translation>déconnexion de tous les workers</translation>
    </message>
    <message>
        <source>message sent: %1</source>
        <translation>message envoyé : %1</translation>
    </message>
    <message numerus="yes">
        <source>message sent to %n worker(s): %1</source>
        <translation>
            <numerusform>message envoyé à %n worker : %1</numerusform>
            <numerusform>message envoyé à %n workers : %1</numerusform>
        </translation>
    </message>
    <message>
        <source>it crashed</source>
        <translation>il a planté</translation>
    </message>
    <message>
        <source>it did not answer its heartbeat</source>
        <translation>il n&apos;a pas répondu à son battement de cœur</translation>
    </message>
    <message>
        <source>it used too much memory</source>
        <translation>il utilisait trop de mémoire</translation>
    </message>
    <message>
        <source>it served its share of requests</source>
        <translation>il a servi son quota de requêtes</translation>
    </message>
    <message>
        <source>rolling restart</source>
        <translation>redémarrage progressif</translation>
    </message>
    <message>
        <source>it was asked to go, and the count stays</source>
        <translation>on lui a demandé de partir, et le nombre reste</translation>
    </message>
    <message>
        <source>replaces worker %1 (%2)</source>
        <translation>remplace le worker %1 (%2)</translation>
    </message>
    <message>
        <source>a worker that crashed is replaced in %1 ms</source>
        <translation>un worker qui a planté est remplacé dans %1 ms</translation>
    </message>
    <message>
        <source>the workers keep crashing; respawning stopped: %1</source>
        <translation>les workers plantent sans cesse ; plus de relance : %1</translation>
    </message>
    <message>
        <source>respawning resumed</source>
        <translation>relances reprises</translation>
    </message>
    <message>
        <source>missed its heartbeat: killed, to be replaced</source>
        <translation>battement de cœur manqué : tué, sera remplacé</translation>
    </message>
    <message>
        <source>rolling restart finished</source>
        <translation>redémarrage progressif terminé</translation>
    </message>
    <message>
        <source>rolling restart failed: %1</source>
        <translation>échec du redémarrage progressif : %1</translation>
    </message>
    <message numerus="yes">
        <source>keeps %n worker(s)</source>
        <translation>
            <numerusform>garde %n worker</numerusform>
            <numerusform>garde %n workers</numerusform>
        </translation>
    </message>
    <message>
        <source>shutdown finished: every worker is gone</source>
        <translation>arrêt terminé : tous les workers sont partis</translation>
    </message>
    <message>
        <source>rolling restart: every worker is replaced, one after the other</source>
        <translation>redémarrage progressif : chaque worker est remplacé, l’un après l’autre</translation>
    </message>
    <message>
        <source>resume respawning</source>
        <translation>reprise des redémarrages</translation>
    </message>
</context>
<context>
    <name>Monitor::EventLogModel</name>
    <message>
        <source>local socket</source>
        <translation>socket local</translation>
    </message>
    <message>
        <source>program %1, arguments &quot;%2&quot;, output %3, policy %4</source>
        <translation>programme %1, arguments « %2 », sortie %3, politique %4</translation>
    </message>
    <message>
        <source>captured</source>
        <translation>capturée</translation>
    </message>
    <message>
        <source>passed through</source>
        <translation>transmise</translation>
    </message>
    <message>
        <source>forked</source>
        <translation>forké</translation>
    </message>
    <message>
        <source>online, process %1</source>
        <translation>en ligne, processus %1</translation>
    </message>
    <message>
        <source>listening on %1 (%2)</source>
        <translation>à l&apos;écoute sur %1 (%2)</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>déconnecté</translation>
    </message>
    <message>
        <source>ended by %1</source>
        <translation>arrêté par %1</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>terminé avec le code %1</translation>
    </message>
    <message>
        <source>%1 (asked for)</source>
        <translation>%1 (demandé)</translation>
    </message>
    <message>
        <source>%1 (not asked for)</source>
        <translation>%1 (non demandé)</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <source>Fork</source>
        <translation>Fork</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Écoute</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Déconnexion</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Sortie</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>IPv4 and IPv6</source>
        <translation>IPv4 et IPv6</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>échec : %1</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Point d&apos;accès</translation>
    </message>
    <message>
        <source>exited %1 ms after it came online, without listening: did its own server fail on a port another worker took?</source>
        <translation>terminé %1 ms après sa mise en ligne, sans se mettre à l&apos;écoute : son propre serveur a-t-il échoué sur un port déjà pris par un autre worker ?</translation>
    </message>
    <message>
        <source>not listening %1 ms after it came online: it takes no share of the cluster&apos;s connections (a plain QTcpServer, QHttpServer::listen()?)</source>
        <translation>pas à l&apos;écoute %1 ms après sa mise en ligne : il ne reçoit aucune part des connexions de la grappe (un simple QTcpServer, QHttpServer::listen() ?)</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>the window fell behind the workers; not shown: %1 messages, %2 pieces of output</source>
        <translation>la fenêtre a pris du retard sur les workers ; non affichés : %1 messages, %2 morceaux de sortie</translation>
    </message>
</context>
<context>
    <name>Monitor::EventLogView</name>
    <message>
        <source>F&amp;ollow</source>
        <translation>&amp;Suivre</translation>
    </message>
    <message>
        <source>Which kinds of events to show</source>
        <translation>Les types d&apos;événements à afficher</translation>
    </message>
    <message>
        <source>Show All</source>
        <translation>Tout afficher</translation>
    </message>
    <message>
        <source>Hide Messages</source>
        <translation>Masquer les messages</translation>
    </message>
    <message>
        <source>Show the events of one worker only</source>
        <translation>N&apos;afficher que les événements d&apos;un worker</translation>
    </message>
    <message>
        <source>Filter text (Ctrl+F)</source>
        <translation>Filtrer le texte (Ctrl+F)</translation>
    </message>
    <message>
        <source>Show only events whose details contain this text</source>
        <translation>N&apos;afficher que les événements dont les détails contiennent ce texte</translation>
    </message>
    <message>
        <source>Keep the newest event in sight</source>
        <translation>Garder le dernier événement en vue</translation>
    </message>
    <message>
        <source>Export the events shown to a CSV file</source>
        <translation>Exporter les événements affichés vers un fichier CSV</translation>
    </message>
    <message>
        <source>Clear the event log</source>
        <translation>Vider le journal des événements</translation>
    </message>
    <message>
        <source>All workers</source>
        <translation>Tous les workers</translation>
    </message>
    <message>
        <source>Worker %1</source>
        <translation>Worker %1</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Tous les événements</translation>
    </message>
    <message>
        <source>%1 of %2 kinds</source>
        <translation>%1 types sur %2</translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation>%1 événements</translation>
    </message>
    <message>
        <source>%1 of %2 events</source>
        <translation>%1 événements sur %2</translation>
    </message>
    <message>
        <source>The log keeps the newest %1 events; %2 logged since the start</source>
        <translation>Le journal garde les %1 derniers événements ; %2 enregistrés depuis le démarrage</translation>
    </message>
    <message>
        <source>Export Event Log</source>
        <translation>Exporter le journal des événements</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Impossible d&apos;écrire %1 : %2</translation>
    </message>
</context>
<context>
    <name>Monitor::FailureBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <source>Hide this message until the next failure</source>
        <translation>Masquer ce message jusqu’à la prochaine défaillance</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>Monitor::FleetModel</name>
    <message>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <source>Restarting</source>
        <translation>Redémarrage en cours</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En marche</translation>
    </message>
    <message>
        <source>ssh: %1</source>
        <translation>ssh : %1</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Introuvable</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnexion…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Arrêt en cours…</translation>
    </message>
    <message>
        <source>Detached</source>
        <translation>Détaché</translation>
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
        <translation>abandon</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Grappe</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Workers</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Requêtes/s</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Crash loop</source>
        <translation>Boucle de plantages</translation>
    </message>
    <message>
        <source>%1 is in the fleet already.</source>
        <translation>%1 est déjà dans la flotte.</translation>
    </message>
    <message>
        <source>The fleet holds at most %1 clusters.</source>
        <translation>La flotte compte au plus %1 grappes.</translation>
    </message>
</context>
<context>
    <name>Monitor::FleetView</name>
    <message>
        <source>&amp;Add…</source>
        <translation>Ajou&amp;ter…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Watch one more cluster: a control endpoint of this user, or ssh://[user@]host[:port]/NAME on another host</source>
        <translation>Surveiller une grappe de plus : un point d&apos;accès de contrôle de cet utilisateur, ou ssh://[user@]host[:port]/NAME sur une autre machine</translation>
    </message>
    <message>
        <source>Stop watching the selected cluster; it runs on</source>
        <translation>Ne plus surveiller la grappe sélectionnée ; elle continue de tourner</translation>
    </message>
    <message>
        <source>Show the selected cluster in the cluster view</source>
        <translation>Afficher la grappe sélectionnée dans la vue de la grappe</translation>
    </message>
    <message>
        <source>Add a Cluster</source>
        <translation>Ajouter une grappe</translation>
    </message>
    <message>
        <source>Control endpoint: a name of this user, or ssh://[user@]host[:port]/NAME</source>
        <translation>Point d&apos;accès de contrôle : un nom de cet utilisateur, ou ssh://[user@]host[:port]/NAME</translation>
    </message>
</context>
<context>
    <name>Monitor::HeadlessRunner</name>
    <message>
        <source>worker %1: %2</source>
        <translation>worker %1 : %2</translation>
    </message>
    <message>
        <source>worker %1 online, process %2</source>
        <translation>worker %1 en ligne, processus %2</translation>
    </message>
    <message>
        <source>worker %1 listening on %2</source>
        <translation>worker %1 à l&apos;écoute sur %2</translation>
    </message>
    <message>
        <source>worker %1 disconnected</source>
        <translation>worker %1 déconnecté</translation>
    </message>
    <message>
        <source>worker %1 ended by %2</source>
        <translation>worker %1 arrêté par %2</translation>
    </message>
    <message>
        <source>worker %1 exited with code %2</source>
        <translation>worker %1 terminé avec le code %2</translation>
    </message>
    <message>
        <source>no workers left; stopping</source>
        <translation>plus aucun worker ; arrêt</translation>
    </message>
    <message>
        <source>worker %1 error: %2</source>
        <translation>worker %1 erreur : %2</translation>
    </message>
    <message>
        <source>cluster stopped</source>
        <translation>grappe arrêtée</translation>
    </message>
    <message numerus="yes">
        <source>starting %n worker(s) of %1 (policy %2); Ctrl-C stops them</source>
        <translation>
            <numerusform>démarrage de %n worker de %1 (politique %2) ; Ctrl-C l&apos;arrête</numerusform>
            <numerusform>démarrage de %n workers de %1 (politique %2) ; Ctrl-C les arrête</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 again: killing the workers</source>
        <translation>%1 à nouveau : les workers sont tués</translation>
    </message>
    <message>
        <source>%1: stopping the workers (again to kill them)</source>
        <translation>%1 : arrêt des workers (à nouveau pour les tuer)</translation>
    </message>
    <message numerus="yes">
        <source>%n worker(s) alive</source>
        <translation>
            <numerusform>%n worker actif</numerusform>
            <numerusform>%n workers actifs</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 requests, %2 requests/s, policy %3, port %4</source>
        <translation>%1 requêtes, %2 requêtes/s, politique %3, port %4</translation>
    </message>
</context>
<context>
    <name>Monitor::MainWindow</name>
    <message>
        <source>No endpoint %1</source>
        <translation>Pas de point de contrôle %1</translation>
    </message>
    <message>
        <source>Cluster Monitor</source>
        <translation>Moniteur de grappe</translation>
    </message>
    <message>
        <source>cluster stopped</source>
        <translation>grappe arrêtée</translation>
    </message>
    <message>
        <source>&amp;New Cluster…</source>
        <translation>&amp;Nouvelle grappe…</translation>
    </message>
    <message>
        <source>Start a cluster with another program, workers or policy</source>
        <translation>Démarrer une grappe avec un autre programme, d&apos;autres workers ou une autre politique</translation>
    </message>
    <message>
        <source>&amp;Fork</source>
        <translation>&amp;Forker</translation>
    </message>
    <message>
        <source>Fork one more worker</source>
        <translation>Forker un worker de plus</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Déconnecter</translation>
    </message>
    <message>
        <source>Let the selected workers finish their connections and exit</source>
        <translation>Laisser les workers sélectionnés terminer leurs connexions et s&apos;arrêter</translation>
    </message>
    <message>
        <source>&amp;Kill With</source>
        <translation>Tuer &amp;avec</translation>
    </message>
    <message>
        <source>Send %1 to the selected workers</source>
        <translation>Envoyer %1 aux workers sélectionnés</translation>
    </message>
    <message>
        <source>&amp;Kill</source>
        <translation>&amp;Tuer</translation>
    </message>
    <message>
        <source>Send SIGTERM to the selected workers (the arrow offers other signals)</source>
        <translation>Envoyer SIGTERM aux workers sélectionnés (la flèche propose d&apos;autres signaux)</translation>
    </message>
    <message>
        <source>&amp;Scale</source>
        <translation>&amp;Ajuster</translation>
    </message>
    <message>
        <source>Fork or disconnect workers until as many run as the spin box says (the newest go first)</source>
        <translation>Forker ou déconnecter des workers jusqu&apos;à en avoir autant que l&apos;indique le compteur (les plus récents partent en premier)</translation>
    </message>
    <message>
        <source>Send &amp;Message…</source>
        <translation>Envoyer un &amp;message…</translation>
    </message>
    <message>
        <source>Send a JSON message to one worker or to all</source>
        <translation>Envoyer un message JSON à un worker ou à tous</translation>
    </message>
    <message>
        <source>Disconnect &amp;All</source>
        <translation>&amp;Tout déconnecter</translation>
    </message>
    <message>
        <source>Disconnect every worker gracefully</source>
        <translation>Déconnecter proprement tous les workers</translation>
    </message>
    <message>
        <source>&amp;Remove Exited Workers</source>
        <translation>&amp;Retirer les workers terminés</translation>
    </message>
    <message>
        <source>Remove the rows of workers that have exited from the table</source>
        <translation>Retirer du tableau les lignes des workers terminés</translation>
    </message>
    <message>
        <source>Show &amp;Events of This Worker</source>
        <translation>Afficher les &amp;événements de ce worker</translation>
    </message>
    <message>
        <source>Show &amp;Output of This Worker</source>
        <translation>Afficher la &amp;sortie de ce worker</translation>
    </message>
    <message>
        <source>&amp;Export Event Log…</source>
        <translation>&amp;Exporter le journal…</translation>
    </message>
    <message>
        <source>Save the events shown in the log as CSV</source>
        <translation>Enregistrer en CSV les événements affichés</translation>
    </message>
    <message>
        <source>&amp;Clear Event Log</source>
        <translation>&amp;Vider le journal</translation>
    </message>
    <message>
        <source>&amp;Filter Event Log</source>
        <translation>&amp;Filtrer le journal</translation>
    </message>
    <message>
        <source>&amp;Per-Worker Lines in Chart</source>
        <translation>&amp;Courbes par worker dans le graphique</translation>
    </message>
    <message>
        <source>Request &amp;Chart</source>
        <translation>&amp;Graphique des requêtes</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Event Log</source>
        <translation>Journal des événements</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Sortie</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>&amp;Grappe</translation>
    </message>
    <message>
        <source>&amp;Worker</source>
        <translation>&amp;Worker</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Journal</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About Cluster Monitor</source>
        <translation>À &amp;propos du moniteur de grappe</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Grappe</translation>
    </message>
    <message>
        <source>Workers:</source>
        <translation>Workers :</translation>
    </message>
    <message>
        <source>How many workers Scale keeps running; Enter applies it</source>
        <translation>Le nombre de workers que « Ajuster » maintient ; Entrée l&apos;applique</translation>
    </message>
    <message>
        <source>The cluster&apos;s state</source>
        <translation>L&apos;état de la grappe</translation>
    </message>
    <message>
        <source>Workers running and not asked to stop</source>
        <translation>Workers actifs auxquels on n&apos;a pas demandé de s&apos;arrêter</translation>
    </message>
    <message>
        <source>Requests per second, all workers</source>
        <translation>Requêtes par seconde, tous workers confondus</translation>
    </message>
    <message>
        <source>How the workers share the port</source>
        <translation>Comment les workers se partagent le port</translation>
    </message>
    <message>
        <source>The port the workers listen on</source>
        <translation>Le port sur lequel les workers écoutent</translation>
    </message>
    <message numerus="yes">
        <source>new cluster: %n worker(s) of %1</source>
        <translation>
            <numerusform>nouvelle grappe : %n worker de %1</numerusform>
            <numerusform>nouvelle grappe : %n workers de %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — Cluster Monitor</source>
        <translation>%1 — Moniteur de grappe</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En marche</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Arrêt en cours…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêtée</translation>
    </message>
    <message>
        <source>%1 requests/s</source>
        <translation>%1 requêtes/s</translation>
    </message>
    <message>
        <source>Policy: %1</source>
        <translation>Politique : %1</translation>
    </message>
    <message>
        <source>Policy: -</source>
        <translation>Politique : -</translation>
    </message>
    <message>
        <source>Port: %1</source>
        <translation>Port : %1</translation>
    </message>
    <message>
        <source>Port: -</source>
        <translation>Port : -</translation>
    </message>
    <message numerus="yes">
        <source>Sent to %n worker(s).</source>
        <translation>
            <numerusform>Envoyé à %n worker.</numerusform>
            <numerusform>Envoyé à %n workers.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: no connected worker.</source>
        <translation>Non envoyé : aucun worker connecté.</translation>
    </message>
    <message>
        <source>About Cluster Monitor</source>
        <translation>À propos du moniteur de grappe</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Cluster Monitor&lt;/h3&gt;&lt;p&gt;Watches and steers a libcluster cluster: Node&apos;s cluster module, re-made with Qt.&lt;/p&gt;&lt;p&gt;Workers, their connections, requests, CPU and memory; every cluster event; the workers&apos; output.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Moniteur de grappe&lt;/h3&gt;&lt;p&gt;Surveille et pilote une grappe libcluster : le module cluster de Node, refait avec Qt.&lt;/p&gt;&lt;p&gt;Les workers, leurs connexions, requêtes, CPU et mémoire ; chaque événement de la grappe ; la sortie des workers.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Stopping the workers before quitting…</source>
        <translation>Arrêt des workers avant de quitter…</translation>
    </message>
    <message>
        <source>&amp;Attach…</source>
        <translation>&amp;Attacher…</translation>
    </message>
    <message>
        <source>Show a cluster another primary runs (cluster-run --control NAME), through its control endpoint</source>
        <translation>Afficher une grappe qu&apos;un autre processus primaire fait tourner (cluster-run --control NOM), par son point d&apos;accès de contrôle</translation>
    </message>
    <message>
        <source>De&amp;tach</source>
        <translation>Dé&amp;tacher</translation>
    </message>
    <message>
        <source>Let go of the attached cluster; it runs on</source>
        <translation>Lâcher la grappe attachée ; elle continue de tourner</translation>
    </message>
    <message>
        <source>The control endpoint: where cluster-run ctl, or another monitor, reaches this cluster; or the one the monitor is attached to</source>
        <translation>Le point d&apos;accès de contrôle : là où cluster-run ctl, ou un autre moniteur, atteint cette grappe ; ou celui auquel le moniteur est attaché</translation>
    </message>
    <message>
        <source>%1 on %2 — Cluster Monitor</source>
        <translation>%1 sur %2 — Moniteur de grappe</translation>
    </message>
    <message>
        <source>Attached</source>
        <translation>Attaché</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnexion…</translation>
    </message>
    <message>
        <source>Detached</source>
        <translation>Détaché</translation>
    </message>
    <message>
        <source>Endpoint: -</source>
        <translation>Point d&apos;accès : -</translation>
    </message>
    <message>
        <source>Endpoint: %1 (primary %2)</source>
        <translation>Point d&apos;accès : %1 (primaire %2)</translation>
    </message>
    <message>
        <source>Endpoint: %1</source>
        <translation>Point d&apos;accès : %1</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Non envoyé : %1</translation>
    </message>
    <message>
        <source>Workers: unknown</source>
        <translation>Workers : inconnus</translation>
    </message>
    <message>
        <source>Rolling &amp;Restart</source>
        <translation>&amp;Redémarrage progressif</translation>
    </message>
    <message>
        <source>Replace every worker, one after the other, each once its successor listens: no request is lost</source>
        <translation>Remplacer chaque worker, l’un après l’autre, chacun une fois que son successeur écoute : aucune requête n’est perdue</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>Rep&amp;rendre</translation>
    </message>
    <message>
        <source>Respawn workers again after the supervisor gave up on a crash loop</source>
        <translation>Relancer les workers après que le superviseur a abandonné sur une boucle de plantages</translation>
    </message>
    <message>
        <source>&amp;Hide Exited Workers</source>
        <translation>&amp;Masquer les workers terminés</translation>
    </message>
    <message>
        <source>Show only the workers that still run</source>
        <translation>N’afficher que les workers qui tournent encore</translation>
    </message>
    <message>
        <source>&amp;Requests per Second</source>
        <translation>&amp;Requêtes par seconde</translation>
    </message>
    <message>
        <source>&amp;CPU</source>
        <translation>&amp;CPU</translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation>&amp;Mémoire</translation>
    </message>
    <message>
        <source>Chart &amp;Shows</source>
        <translation>&amp;Le graphique montre</translation>
    </message>
    <message>
        <source>Worker %1 failed</source>
        <translation>Le worker %1 a échoué</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n worker(s)</source>
        <translation>
            <numerusform>%1 sur %n worker</numerusform>
            <numerusform>%1 sur %n workers</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 stopping</source>
        <translation>%1 en arrêt</translation>
    </message>
    <message numerus="yes">
        <source>%n crashed</source>
        <translation>
            <numerusform>%n planté</numerusform>
            <numerusform>%n plantés</numerusform>
        </translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>redémarrage en cours</translation>
    </message>
    <message>
        <source>gave up</source>
        <translation>abandon</translation>
    </message>
    <message>
        <source>Worker %1 was ended by %2 without being asked to</source>
        <translation>Le worker %1 a été terminé par %2 sans qu’on le demande</translation>
    </message>
    <message>
        <source>Worker %1 exited unexpectedly with code %2</source>
        <translation>Le worker %1 s’est terminé de façon inattendue avec le code %2</translation>
    </message>
    <message>
        <source>The workers keep crashing: respawning stopped</source>
        <translation>Les workers plantent sans cesse : plus de redémarrage</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>ssh: %1</source>
        <translation>ssh : %1</translation>
    </message>
</context>
<context>
    <name>Monitor::NewClusterDialog</name>
    <message>
        <source>&amp;Capture the workers&apos; output (silent)</source>
        <translation>&amp;Capturer la sortie des workers (silent)</translation>
    </message>
    <message>
        <source>New Cluster</source>
        <translation>Nouvelle grappe</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Choose the worker program</source>
        <translation>Choisir le programme des workers</translation>
    </message>
    <message>
        <source>The program every worker runs; it must use libcluster</source>
        <translation>Le programme qu&apos;exécute chaque worker ; il doit utiliser libcluster</translation>
    </message>
    <message>
        <source>The workers&apos; arguments, quoted as in a shell, e.g. --port 8000</source>
        <translation>Les arguments des workers, entre guillemets comme dans un shell, p. ex. --port 8000</translation>
    </message>
    <message>
        <source>e.g. --port 8000</source>
        <translation>p. ex. --port 8000</translation>
    </message>
    <message numerus="yes">
        <source>How many workers to fork at the start (this machine has %n core(s))</source>
        <translation>
            <numerusform>Nombre de workers à forker au démarrage (cette machine a %n cœur)</numerusform>
            <numerusform>Nombre de workers à forker au démarrage (cette machine a %n cœurs)</numerusform>
        </translation>
    </message>
    <message>
        <source>Round-robin</source>
        <translation>Tourniquet</translation>
    </message>
    <message>
        <source>The primary accepts each connection and hands it to the next worker that is not busy</source>
        <translation>Le processus primaire accepte chaque connexion et la confie au prochain worker qui n&apos;est pas occupé</translation>
    </message>
    <message>
        <source>Shared socket</source>
        <translation>Socket partagé</translation>
    </message>
    <message>
        <source>Every worker accepts on the same socket; the kernel decides, often unevenly</source>
        <translation>Chaque worker accepte sur le même socket ; le noyau décide, souvent de façon inégale</translation>
    </message>
    <message>
        <source>SO_REUSEPORT</source>
        <translation>SO_REUSEPORT</translation>
    </message>
    <message>
        <source>Each worker listens on its own socket; the kernel balances</source>
        <translation>Chaque worker écoute sur son propre socket ; le noyau répartit</translation>
    </message>
    <message>
        <source>Least connections</source>
        <translation>Moins de connexions</translation>
    </message>
    <message>
        <source>The worker with the fewest open connections gets the next one</source>
        <translation>Le worker qui a le moins de connexions ouvertes reçoit la suivante</translation>
    </message>
    <message>
        <source>Sticky</source>
        <translation>Affinité</translation>
    </message>
    <message>
        <source>Connections from one client address go to the same worker while it lives</source>
        <translation>Les connexions d&apos;une même adresse cliente vont au même worker tant qu&apos;il vit</translation>
    </message>
    <message>
        <source>Show each worker&apos;s stdout and stderr in the Output panel instead of passing them to the monitor&apos;s terminal</source>
        <translation>Afficher stdout et stderr de chaque worker dans le panneau « Sortie » au lieu de les transmettre au terminal du moniteur</translation>
    </message>
    <message>
        <source>&amp;Program:</source>
        <translation>&amp;Programme :</translation>
    </message>
    <message>
        <source>&amp;Arguments:</source>
        <translation>&amp;Arguments :</translation>
    </message>
    <message>
        <source>&amp;Workers:</source>
        <translation>&amp;Workers :</translation>
    </message>
    <message>
        <source>Scheduling &amp;policy:</source>
        <translation>&amp;Politique de répartition :</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Démarrer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Restore &amp;Defaults</source>
        <translation>&amp;Valeurs par défaut</translation>
    </message>
    <message>
        <source>hello-http, one worker per core, port 8000, round-robin</source>
        <translation>hello-http, un worker par cœur, port 8000, tourniquet</translation>
    </message>
    <message>
        <source>The running cluster is stopped first: its workers are asked to disconnect, and killed if they have not gone after a few seconds.</source>
        <translation>La grappe en cours est d&apos;abord arrêtée : on demande à ses workers de se déconnecter, et ceux qui restent après quelques secondes sont tués.</translation>
    </message>
    <message>
        <source>Worker Program</source>
        <translation>Programme des workers</translation>
    </message>
    <message>
        <source>Choose the program the workers run.</source>
        <translation>Choisissez le programme qu&apos;exécutent les workers.</translation>
    </message>
    <message>
        <source>%1 is not an executable program.</source>
        <translation>%1 n&apos;est pas un programme exécutable.</translation>
    </message>
    <message>
        <source>The name of the cluster&apos;s control endpoint, for cluster-run ctl NAME or another monitor; empty: %1</source>
        <translation>Le nom du point d&apos;accès de contrôle de la grappe, pour cluster-run ctl NOM ou un autre moniteur ; vide : %1</translation>
    </message>
    <message>
        <source>Control &amp;endpoint:</source>
        <translation>Point d&apos;accès de &amp;contrôle :</translation>
    </message>
    <message>
        <source>An endpoint name is 1 to 64 letters, digits, dots, dashes and underscores, not starting with a dot.</source>
        <translation>Un nom de point d&apos;accès compte 1 à 64 lettres, chiffres, points, tirets et tirets bas, et ne commence pas par un point.</translation>
    </message>
    <message>
        <source>&amp;Respawn workers that exit unexpectedly</source>
        <translation>&amp;Relancer les workers qui s’arrêtent de façon inattendue</translation>
    </message>
    <message>
        <source>Keep the number of workers: one that crashes is replaced after a growing delay; one that is killed or disconnected at once</source>
        <translation>Garder le nombre de workers : un worker qui plante est remplacé après un délai croissant ; un worker tué ou déconnecté, aussitôt</translation>
    </message>
    <message>
        <source> crashes</source>
        <translation> plantages</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A crash loop stops the respawning: one worker slot crashing more often than this within the time given, or more workers in a row than this (at least as many as there are workers) dying before they are ready. Several workers dying together is no crash loop.</source>
        <translation>Une boucle de plantages arrête les relances : une place de worker qui plante plus souvent que cela dans le délai donné, ou plus de workers de suite que cela (au moins autant qu’il y a de workers) qui meurent avant d’être prêts. Plusieurs workers qui meurent ensemble ne sont pas une boucle de plantages.</translation>
    </message>
    <message>
        <source>Give up after</source>
        <translation>Abandonner après</translation>
    </message>
    <message>
        <source>of one worker within</source>
        <translation>d’un worker en</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>wait for ever</source>
        <translation>attendre indéfiniment</translation>
    </message>
    <message>
        <source>Kill a disconnecting worker after this long: keep-alive connections may hold it for ever (cluster-run --disconnect-timeout)</source>
        <translation>Tuer un worker qui se déconnecte après ce délai : les connexions keep-alive peuvent le retenir indéfiniment (cluster-run --disconnect-timeout)</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>aucune limite</translation>
    </message>
    <message>
        <source>Replace a worker, through a rolling restart of that worker, when its resident memory exceeds this (cluster-run --max-memory)</source>
        <translation>Remplacer un worker, par un redémarrage progressif de ce worker, quand sa mémoire résidente dépasse cette valeur (cluster-run --max-memory)</translation>
    </message>
    <message>
        <source> requests</source>
        <translation> requêtes</translation>
    </message>
    <message>
        <source>Replace a worker once it has served this many requests (cluster-run --max-requests)</source>
        <translation>Remplacer un worker une fois qu’il a servi autant de requêtes (cluster-run --max-requests)</translation>
    </message>
    <message>
        <source>S&amp;hutdown timeout:</source>
        <translation>Délai d’&amp;arrêt :</translation>
    </message>
    <message>
        <source>D&amp;isconnect timeout:</source>
        <translation>Délai de &amp;déconnexion :</translation>
    </message>
    <message>
        <source>Memory &amp;limit:</source>
        <translation>&amp;Limite de mémoire :</translation>
    </message>
    <message>
        <source>Re&amp;quest limit:</source>
        <translation>Limite de re&amp;quêtes :</translation>
    </message>
    <message>
        <source>When the cluster stops (New Cluster, Attach, Quit, cluster-run ctl shutdown): kill what still runs after this long (cluster-run --shutdown-timeout)</source>
        <translation>Quand le cluster s’arrête (Nouveau cluster, Attacher, Quitter, cluster-run ctl shutdown) : tuer ce qui tourne encore après ce délai (cluster-run --shutdown-timeout)</translation>
    </message>
    <message>
        <source>off (e.g. 127.0.0.1:9464)</source>
        <translation>désactivé (p. ex. 127.0.0.1:9464)</translation>
    </message>
    <message>
        <source>Serve Prometheus metrics (/metrics) and health probes (/healthz, /readyz) on ADDRESS:PORT, or on loopback for a bare PORT; empty: off</source>
        <translation>Servir les métriques Prometheus (/metrics) et les sondes de santé (/healthz, /readyz) sur ADRESSE:PORT, ou sur la boucle locale pour un PORT seul ; vide : désactivé</translation>
    </message>
    <message>
        <source>Me&amp;trics address:</source>
        <translation>Adresse des mé&amp;triques :</translation>
    </message>
    <message>
        <source>Metrics address: %1</source>
        <translation>Adresse des métriques : %1</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Ouvrir…</translation>
    </message>
    <message>
        <source>Fill the form from a cluster-run configuration file (cluster-run --config FILE)</source>
        <translation>Remplir le formulaire depuis un fichier de configuration de cluster-run (cluster-run --config FICHIER)</translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation>Enre&amp;gistrer…</translation>
    </message>
    <message>
        <source>Write the form as a configuration file that cluster-run --config FILE runs the same way</source>
        <translation>Écrire le formulaire dans un fichier de configuration que cluster-run --config FICHIER exécute à l&apos;identique</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… et %n de plus</numerusform>
            <numerusform>… et %n de plus</numerusform>
        </translation>
    </message>
    <message>
        <source>Not opened; the form is unchanged:
%1</source>
        <translation>Non ouvert ; le formulaire est inchangé :
%1</translation>
    </message>
    <message>
        <source>Open Cluster Configuration</source>
        <translation>Ouvrir une configuration de cluster</translation>
    </message>
    <message>
        <source>%1 holds several clusters. Which one?</source>
        <translation>%1 contient plusieurs clusters. Lequel ?</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>%1 ouvert.</translation>
    </message>
    <message>
        <source>Opened cluster %1 of %2.</source>
        <translation>Cluster %1 de %2 ouvert.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Non enregistré : %1</translation>
    </message>
    <message>
        <source>Not saved: %1: %2</source>
        <translation>Non enregistré : %1 : %2</translation>
    </message>
    <message>
        <source>Saved to %1; run it with %2</source>
        <translation>Enregistré dans %1 ; lancez-le avec %2</translation>
    </message>
    <message>
        <source>Cluster configurations (*.conf *.ini);;All files (*)</source>
        <translation>Configurations de cluster (*.conf *.ini);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Save Cluster Configuration</source>
        <translation>Enregistrer la configuration du cluster</translation>
    </message>
    <message>
        <source>Also from the file, applied, with no field here: %1.</source>
        <translation>Repris aussi du fichier et appliqué, sans champ ici : %1.</translation>
    </message>
    <message>
        <source>Kept for Save, NOT applied by the monitor (cluster-run only): %1.</source>
        <translation>Gardé pour Enregistrer, NON appliqué par le moniteur (cluster-run seulement) : %1.</translation>
    </message>
    <message>
        <source>Used exactly as given, shown rounded until you change it: %1.</source>
        <translation>Utilisé exactement tel quel, affiché arrondi tant que vous ne le modifiez pas : %1.</translation>
    </message>
</context>
<context>
    <name>Monitor::OutputView</name>
    <message>
        <source>Whose output to show</source>
        <translation>La sortie de qui afficher</translation>
    </message>
    <message>
        <source>All workers</source>
        <translation>Tous les workers</translation>
    </message>
    <message>
        <source>Clear the captured output</source>
        <translation>Vider la sortie capturée</translation>
    </message>
    <message>
        <source>Output is not captured: the workers write to the monitor&apos;s terminal. Start a cluster with &quot;Capture the workers&apos; output&quot; to see it here.</source>
        <translation>La sortie n&apos;est pas capturée : les workers écrivent dans le terminal du moniteur. Démarrez une grappe avec « Capturer la sortie des workers » pour la voir ici.</translation>
    </message>
    <message>
        <source>Worker %1</source>
        <translation>Worker %1</translation>
    </message>
    <message>
        <source>Output is not available: the attached primary does not capture its workers&apos; output, so it goes to that primary&apos;s terminal instead.</source>
        <translation>Sortie indisponible : le processus primaire attaché ne capture pas la sortie de ses workers, elle va donc dans son propre terminal.</translation>
    </message>
</context>
<context>
    <name>Monitor::RemoteClusterSource</name>
    <message>
        <source>attaching to the control endpoint %1</source>
        <translation>attachement au point d&apos;accès de contrôle %1</translation>
    </message>
    <message>
        <source>detached from the control endpoint %1; its cluster runs on</source>
        <translation>détaché du point d&apos;accès de contrôle %1 ; sa grappe continue de tourner</translation>
    </message>
    <message>
        <source>reconnected to %1: primary %2</source>
        <translation>reconnecté à %1 : primaire %2</translation>
    </message>
    <message>
        <source>attached to %1: primary %2</source>
        <translation>attaché à %1 : primaire %2</translation>
    </message>
    <message>
        <source>the primary behind %1 went away; waiting for it to come back</source>
        <translation>le processus primaire derrière %1 a disparu ; en attente de son retour</translation>
    </message>
    <message>
        <source>the new worker is forked once the rolling restart is over</source>
        <translation>le nouveau worker sera forké une fois le redémarrage progressif terminé</translation>
    </message>
</context>
<context>
    <name>Monitor::RequestChart</name>
    <message>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <source>-%1 min</source>
        <translation>-%1 min</translation>
    </message>
    <message>
        <source>Waiting for request counts…</source>
        <translation>En attente du nombre de requêtes…</translation>
    </message>
    <message>
        <source>Total: %1 requests/s</source>
        <translation>Total : %1 requêtes/s</translation>
    </message>
    <message numerus="yes">
        <source>last %n minute(s)</source>
        <translation>
            <numerusform>dernière minute</numerusform>
            <numerusform>%n dernières minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>il y a %1 s</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… et %n autre</numerusform>
            <numerusform>… et %n autres</numerusform>
        </translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> Mio</translation>
    </message>
    <message>
        <source>Total: %1 % CPU</source>
        <translation>Total : %1 % CPU</translation>
    </message>
    <message>
        <source>Total: %1 MiB resident</source>
        <translation>Total : %1 Mio résidents</translation>
    </message>
    <message>
        <source>Waiting for CPU and memory figures…</source>
        <translation>En attente des chiffres CPU et mémoire…</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message>
        <source>Worker %1: %2</source>
        <translation>Worker %1 : %2</translation>
    </message>
</context>
<context>
    <name>Monitor::SendMessageDialog</name>
    <message>
        <source>Send Message</source>
        <translation>Envoyer un message</translation>
    </message>
    <message>
        <source>A JSON value, e.g. {&quot;cmd&quot;: &quot;reload&quot;}</source>
        <translation>Une valeur JSON, p. ex. {&quot;cmd&quot;: &quot;reload&quot;}</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;À :</translation>
    </message>
    <message>
        <source>&amp;Message (JSON):</source>
        <translation>&amp;Message (JSON) :</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Mettre en forme</translation>
    </message>
    <message>
        <source>Indent the JSON</source>
        <translation>Indenter le JSON</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>All connected workers</source>
        <translation>Tous les workers connectés</translation>
    </message>
    <message>
        <source>Worker %1 (process %2)</source>
        <translation>Worker %1 (processus %2)</translation>
    </message>
    <message>
        <source>Type a JSON value.</source>
        <translation>Saisissez une valeur JSON.</translation>
    </message>
    <message>
        <source>Line %1, column %2: %3</source>
        <translation>Ligne %1, colonne %2 : %3</translation>
    </message>
    <message>
        <source>Type one JSON value, not a list of values separated by commas.</source>
        <translation>Saisissez une seule valeur JSON, pas une liste de valeurs séparées par des virgules.</translation>
    </message>
    <message>
        <source>Valid JSON.</source>
        <translation>JSON valide.</translation>
    </message>
</context>
<context>
    <name>Monitor::WorkerTableModel</name>
    <message>
        <source>starting</source>
        <translation>démarrage</translation>
    </message>
    <message>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <source>listening</source>
        <translation>à l&apos;écoute</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>déconnecté</translation>
    </message>
    <message>
        <source>exited</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>%1 d %2</source>
        <translation>%1 j %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>code %1</source>
        <translation>code %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>Worker %1 has been asked to stop</source>
        <translation>On a demandé au worker %1 de s&apos;arrêter</translation>
    </message>
    <message>
        <source>Worker %1 was ended by %2</source>
        <translation>Le worker %1 a été arrêté par %2</translation>
    </message>
    <message>
        <source>Worker %1 exited with code %2</source>
        <translation>Le worker %1 s&apos;est terminé avec le code %2</translation>
    </message>
    <message>
        <source>%1, as asked</source>
        <translation>%1, comme demandé</translation>
    </message>
    <message>
        <source>%1, without being asked to</source>
        <translation>%1, sans qu&apos;on le lui demande</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>N°</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Listening on</source>
        <translation>Écoute sur</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Connexions</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Requêtes</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Requêtes/s</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Sortie</translation>
    </message>
    <message>
        <source>Asked to exit</source>
        <translation>Arrêt demandé</translation>
    </message>
    <message>
        <source>The worker&apos;s id in the cluster</source>
        <translation>Le numéro du worker dans la grappe</translation>
    </message>
    <message>
        <source>The worker&apos;s process id</source>
        <translation>Le numéro de processus du worker</translation>
    </message>
    <message>
        <source>Where the worker is in its life: starting, online, listening, disconnected, exited</source>
        <translation>Où en est le worker : démarrage, en ligne, à l&apos;écoute, déconnecté, terminé</translation>
    </message>
    <message>
        <source>Time since the worker was forked (until it exited)</source>
        <translation>Temps écoulé depuis le fork du worker (jusqu&apos;à sa fin)</translation>
    </message>
    <message>
        <source>Where the worker&apos;s servers listen</source>
        <translation>Où écoutent les serveurs du worker</translation>
    </message>
    <message>
        <source>Connections open now / accepted in total</source>
        <translation>Connexions ouvertes maintenant / acceptées au total</translation>
    </message>
    <message>
        <source>Requests the worker counted (its &quot;requests&quot; counter)</source>
        <translation>Requêtes comptées par le worker (son compteur « requests »)</translation>
    </message>
    <message>
        <source>Requests per second over the last second or so</source>
        <translation>Requêtes par seconde sur la dernière seconde environ</translation>
    </message>
    <message>
        <source>CPU use, percent of one core</source>
        <translation>Utilisation CPU, en pourcentage d&apos;un cœur</translation>
    </message>
    <message>
        <source>Resident memory (RSS)</source>
        <translation>Mémoire résidente (RSS)</translation>
    </message>
    <message>
        <source>Exit code, or the signal that ended the worker</source>
        <translation>Code de sortie, ou le signal qui a arrêté le worker</translation>
    </message>
    <message>
        <source>Whether the exit was asked for (disconnect or kill) rather than a crash</source>
        <translation>Si l&apos;arrêt a été demandé (déconnexion ou kill) plutôt qu&apos;un plantage</translation>
    </message>
    <message>
        <source>As last seen: the primary does not answer now</source>
        <translation>État vu en dernier : le processus primaire ne répond pas pour l&apos;instant</translation>
    </message>
</context>
</TS>
