from dossier.devstack.cli import main

main()
