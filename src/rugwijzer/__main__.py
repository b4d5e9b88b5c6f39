from rugwijzer.cli.main import main

main()
