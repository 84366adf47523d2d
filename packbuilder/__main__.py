from packbuilder.cli import main

main()
